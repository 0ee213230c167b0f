package main

import (
	"fmt"
	"net/http"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// Guest operations through VMware Tools. vcsim's VMs never run tools and it
// has no RebootGuest. The control endpoint starts or stops a VM's tools;
// RebootGuest, as on ESX, needs the VM powered on (InvalidPowerState) with
// tools running (ToolsUnavailable), and restarts the guest: the VM stays
// powered on with a new boot time.

func (f *front) registerGuest() {
	f.handle("RebootGuest", f.rebootGuest)
	f.control.HandleFunc(controlPrefix+"/guest-tools", controlGuestTools)
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
	status, running := types.VirtualMachineToolsStatusToolsNotRunning, types.VirtualMachineToolsRunningStatusGuestToolsNotRunning
	if req.Running {
		status, running = types.VirtualMachineToolsStatusToolsOk, types.VirtualMachineToolsRunningStatusGuestToolsRunning
	}
	simulator.Map.WithLock(vm, func() {
		simulator.Map.Update(vm, []types.PropertyChange{
			{Name: "guest.toolsStatus", Val: status},
			{Name: "guest.toolsRunningStatus", Val: string(running)},
			{Name: "summary.guest.toolsStatus", Val: status},
			{Name: "summary.guest.toolsRunningStatus", Val: string(running)},
		})
	})
	writeJSON(w, http.StatusOK, map[string]interface{}{"vm": vm.Self.Value, "running": req.Running})
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
