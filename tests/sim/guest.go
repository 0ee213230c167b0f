package main

import (
	"fmt"
	"net/http"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// Guest operations through VMware Tools. vcsim's VMs never run tools, report
// no guest host name or addresses, and it has no RebootGuest. The control
// endpoint starts or stops a VM's tools and sets what tools would report;
// RebootGuest, as on ESX, needs the VM powered on (InvalidPowerState) with
// tools running (ToolsUnavailable), and restarts the guest: the VM stays
// powered on with a new boot time.

func (f *front) registerGuest() {
	f.handle("RebootGuest", f.rebootGuest)
	f.control.HandleFunc(controlPrefix+"/guest-tools", controlGuestTools)
	f.control.HandleFunc(controlPrefix+"/guest", controlGuest)
}

// POST /hvd-sim/guest-tools {"vm":"NAME or moref","running":true}
func controlGuestTools(w http.ResponseWriter, r *http.Request) {
	var req struct {
		VM      string `json:"vm"`
		Running bool   `json:"running"`
	}
	if !readJSON(w, r, &req) {
		return
	}
	vm, err := findVM(req.VM)
	if err != nil {
		writeJSONError(w, http.StatusNotFound, err)
		return
	}
	setGuest(vm, toolsChanges(req.Running))
	writeJSON(w, http.StatusOK, map[string]interface{}{"vm": vm.Self.Value, "running": req.Running})
}

func toolsChanges(running bool) []types.PropertyChange {
	status, runStatus := types.VirtualMachineToolsStatusToolsNotRunning, types.VirtualMachineToolsRunningStatusGuestToolsNotRunning
	if running {
		status, runStatus = types.VirtualMachineToolsStatusToolsOk, types.VirtualMachineToolsRunningStatusGuestToolsRunning
	}
	return []types.PropertyChange{
		{Name: "guest.toolsStatus", Val: status},
		{Name: "guest.toolsRunningStatus", Val: string(runStatus)},
		{Name: "summary.guest.toolsStatus", Val: status},
		{Name: "summary.guest.toolsRunningStatus", Val: string(runStatus)},
	}
}

func setGuest(vm *simulator.VirtualMachine, changes []types.PropertyChange) {
	simulator.Map.WithLock(vm, func() { simulator.Map.Update(vm, changes) })
}

type guestNic struct {
	MAC     string   `json:"mac"`
	Network string   `json:"network"`
	IPs     []string `json:"ips"`
}

type guestSpec struct {
	VM           string     `json:"vm"`
	ToolsRunning *bool      `json:"tools_running"`
	HostName     *string    `json:"hostname"`
	IP           *string    `json:"ip"`
	NICs         []guestNic `json:"nics"`
}

// ethernetCards lists the VM's NICs (MAC, device key, network name) in device order.
func ethernetCards(vm *simulator.VirtualMachine) []types.GuestNicInfo {
	var nics []types.GuestNicInfo
	simulator.Map.WithLock(vm, func() {
		if vm.Config == nil {
			return
		}
		for _, d := range vm.Config.Hardware.Device {
			card, ok := d.(types.BaseVirtualEthernetCard)
			if !ok {
				continue
			}
			e := card.GetVirtualEthernetCard()
			nic := types.GuestNicInfo{MacAddress: e.MacAddress, DeviceConfigId: e.Key, Connected: true}
			if b, ok := e.Backing.(*types.VirtualEthernetCardNetworkBackingInfo); ok {
				nic.Network = b.DeviceName
			}
			nics = append(nics, nic)
		}
	})
	return nics
}

// POST /hvd-sim/guest {"vm":..,"tools_running":true,"hostname":"vm0.example.org","ip":"192.0.2.5",
//
//	"nics":[{"mac":"00:50:56:..","network":"VM Network","ips":["192.0.2.5","2001:db8::5"]}]}
//
// Every field but vm is optional; a NIC without mac takes the VM's card in
// that position.
func controlGuest(w http.ResponseWriter, r *http.Request) {
	var req guestSpec
	if !readJSON(w, r, &req) {
		return
	}
	vm, err := findVM(req.VM)
	if err != nil {
		writeJSONError(w, http.StatusNotFound, err)
		return
	}
	var changes []types.PropertyChange
	if req.ToolsRunning != nil {
		changes = append(changes, toolsChanges(*req.ToolsRunning)...)
	}
	if req.HostName != nil {
		changes = append(changes,
			types.PropertyChange{Name: "guest.hostName", Val: *req.HostName},
			types.PropertyChange{Name: "summary.guest.hostName", Val: *req.HostName})
	}
	ip := req.IP
	if req.NICs != nil {
		cards := ethernetCards(vm)
		nics := make([]types.GuestNicInfo, 0, len(req.NICs))
		for i, n := range req.NICs {
			nic := types.GuestNicInfo{Connected: true, DeviceConfigId: -1}
			if i < len(cards) {
				nic = cards[i]
			}
			if n.MAC != "" {
				nic.MacAddress = n.MAC
			}
			if n.Network != "" {
				nic.Network = n.Network
			}
			nic.IpAddress = n.IPs
			nics = append(nics, nic)
		}
		changes = append(changes, types.PropertyChange{Name: "guest.net", Val: nics})
		if ip == nil && len(nics) > 0 && len(nics[0].IpAddress) > 0 {
			ip = &nics[0].IpAddress[0]
		}
	}
	if ip != nil {
		changes = append(changes,
			types.PropertyChange{Name: "guest.ipAddress", Val: *ip},
			types.PropertyChange{Name: "summary.guest.ipAddress", Val: *ip})
	}
	setGuest(vm, changes)
	writeJSON(w, http.StatusOK, map[string]interface{}{"vm": vm.Self.Value, "changed": len(changes)})
}

func (f *front) rebootGuest(c *soapCall) {
	vm, _, ok := f.vmCall(c)
	if !ok {
		return
	}
	var fault types.BaseMethodFault
	var msg string
	simulator.Map.WithLock(vm, func() {
		state := vm.Runtime.PowerState
		switch {
		case state != types.VirtualMachinePowerStatePoweredOn:
			msg = fmt.Sprintf("VM %s is %s", vm.Name, state)
			fault = &types.InvalidPowerState{RequestedState: types.VirtualMachinePowerStatePoweredOn, ExistingState: state}
		case vm.Guest == nil || vm.Guest.ToolsRunningStatus != string(types.VirtualMachineToolsRunningStatusGuestToolsRunning):
			msg = fmt.Sprintf("VMware Tools are not running in VM %s", vm.Name)
			fault = &types.ToolsUnavailable{}
		default:
			now := time.Now()
			simulator.Map.Update(vm, []types.PropertyChange{
				{Name: "runtime.bootTime", Val: now},
				{Name: "summary.runtime.bootTime", Val: now},
			})
		}
	})
	if fault != nil {
		writeFault(c.w, msg, fault)
		return
	}
	writeResponse(c.w, &types.RebootGuestResponse{})
}
