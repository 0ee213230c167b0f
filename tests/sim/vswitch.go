package main

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/http"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

// Standard virtual switches and port groups. vcsim 0.24.2's
// HostNetworkSystem keeps AddVirtualSwitch, AddPortGroup, RemovePortGroup
// and RemoveVirtualSwitch in its own networkInfo only: the host's
// config.network, which clients read (libvirt, the driver), never changes,
// uplinks (spec.bridge) are ignored, and a port group or switch in use by a
// VM is removed anyway. The front answers these four methods as ESX does
// (vSphere API reference, HostNetworkSystem): it checks the request first
// (AlreadyExists, NotFound, ResourceInUse, InvalidArgument), passes it to
// vcsim (which keeps its Network objects, the ones VM NICs connect to), then
// updates config.network through simulator.Map.Update so that property
// collectors see the change.
//
// The control endpoint POST /hvd-sim/vmnet {"vm":"NAME or moref",
// "network":"PORT GROUP","remove":false} connects a VM to a port group's
// network (its `network` property, what ESX reports for a VM whose NIC is
// on that port group), or disconnects it.

const (
	vswitchKeyPrefix   = "key-vim.host.VirtualSwitch-"
	portgroupKeyPrefix = "key-vim.host.PortGroup-"
	// maxVswitchName: "Maximum length is 32 characters" (AddVirtualSwitch).
	maxVswitchName = 32
)

func (f *front) registerVSwitch() {
	f.handle("AddVirtualSwitch", f.addVirtualSwitch)
	f.handle("AddPortGroup", f.addPortGroup)
	f.handle("RemovePortGroup", f.removePortGroup)
	f.handle("RemoveVirtualSwitch", f.removeVirtualSwitch)
	f.control.HandleFunc(controlPrefix+"/vmnet", controlVMNet)
}

// netCall decodes a call on a HostNetworkSystem and finds its host; it
// answers the fault itself (ok false) otherwise.
func (f *front) netCall(c *soapCall) (host *simulator.HostSystem, this types.ManagedObjectReference, body interface{},
	ok bool) {
	this, body, ok = f.decode(c)
	if !ok || !f.requireSession(c, this) {
		return nil, this, nil, false
	}
	for _, h := range allHosts() {
		if ns := h.ConfigManager.NetworkSystem; ns != nil && *ns == this {
			return h, this, body, true
		}
	}
	writeNotFound(c.w, this)
	return nil, this, nil, false
}

// hostNetwork is a copy of the host's config.network (nil when it has none).
func hostNetwork(h *simulator.HostSystem) *types.HostNetworkInfo {
	var n *types.HostNetworkInfo
	simulator.Map.WithLock(h, func() {
		if h.Config != nil && h.Config.Network != nil {
			c := *h.Config.Network
			c.Vswitch = append([]types.HostVirtualSwitch(nil), c.Vswitch...)
			c.Portgroup = append([]types.HostPortGroup(nil), c.Portgroup...)
			n = &c
		}
	})
	return n
}

// setHostNetwork replaces the host's config.network and notifies collectors.
func setHostNetwork(h *simulator.HostSystem, n *types.HostNetworkInfo) {
	simulator.Map.WithLock(h, func() {
		simulator.Map.Update(h, []types.PropertyChange{{Name: "config.network", Val: n}})
	})
}

func findSwitch(n *types.HostNetworkInfo, name string) int {
	for i := range n.Vswitch {
		if n.Vswitch[i].Name == name {
			return i
		}
	}
	return -1
}

func findPortGroup(n *types.HostNetworkInfo, name string) int {
	for i := range n.Portgroup {
		if n.Portgroup[i].Spec.Name == name {
			return i
		}
	}
	return -1
}

// portGroupUser names what keeps port group PG of host H busy: a VM
// connected to its network, or a VMkernel NIC on it; "" when nothing does.
func portGroupUser(h *simulator.HostSystem, n *types.HostNetworkInfo, pg string) string {
	for _, v := range n.Vnic {
		if v.Portgroup == pg {
			return fmt.Sprintf("VMkernel NIC %s", v.Device)
		}
	}
	var vms []types.ManagedObjectReference
	simulator.Map.WithLock(h, func() { vms = append(vms, h.Vm...) })
	for _, ref := range vms {
		vm, ok := simulator.Map.Get(ref).(*simulator.VirtualMachine)
		if !ok {
			continue
		}
		var name string
		var nets []types.ManagedObjectReference
		simulator.Map.WithLock(vm, func() { name, nets = vm.Name, append(nets, vm.Network...) })
		for _, nref := range nets {
			if e, ok := simulator.Map.Get(nref).(mo.Entity); ok && e.Entity().Name == pg {
				return fmt.Sprintf("virtual machine %s", name)
			}
		}
	}
	return ""
}

// passed runs the call through vcsim; on a fault it forwards the fault to
// the client and returns false.
func (f *front) passed(c *soapCall, body []byte) bool {
	rec := f.invoke(c.r, body)
	if rec.Code == http.StatusOK {
		return true
	}
	res := rec.Result()
	copyRecorded(c.w, res, rec.Body.Bytes())
	_ = res.Body.Close()
	return false
}

// vcsimHas reports whether vcsim's own networkInfo (this HostNetworkSystem's)
// lists port group PG ("" to ask only about switch SW) on a switch.
func vcsimHas(this types.ManagedObjectReference, sw, pg string) bool {
	ns, ok := simulator.Map.Get(this).(*simulator.HostNetworkSystem)
	if !ok || ns.NetworkInfo == nil {
		return false
	}
	found := false
	simulator.Map.WithLock(ns, func() {
		for _, v := range ns.NetworkInfo.Vswitch {
			if pg == "" && v.Name == sw {
				found = true
			}
			for _, p := range v.Portgroup {
				found = found || (pg != "" && p == pg)
			}
		}
	})
	return found
}

func (f *front) addVirtualSwitch(c *soapCall) {
	h, _, body, ok := f.netCall(c)
	if !ok {
		return
	}
	req := body.(*types.AddVirtualSwitch)
	name := req.VswitchName
	if name == "" || len(name) > maxVswitchName {
		writeFault(c.w, fmt.Sprintf("vswitchName %q: 1 to %d characters", name, maxVswitchName),
			&types.InvalidArgument{InvalidProperty: "vswitchName"})
		return
	}
	n := hostNetwork(h)
	if n == nil {
		writeFault(c.w, "the host has no network configuration", &types.HostConfigFault{})
		return
	}
	if findSwitch(n, name) >= 0 {
		writeFault(c.w, fmt.Sprintf("virtual switch %q exists", name), &types.AlreadyExists{Name: name})
		return
	}
	spec := types.HostVirtualSwitchSpec{NumPorts: 128}
	if req.Spec != nil {
		spec = *req.Spec
	}
	if spec.Mtu != 0 && (spec.Mtu < 1280 || spec.Mtu > 9000) {
		writeFault(c.w, fmt.Sprintf("mtu %d is not within 1280..9000", spec.Mtu),
			&types.InvalidArgument{InvalidProperty: "spec.mtu"})
		return
	}
	var pnics []string
	if b, ok := spec.Bridge.(*types.HostVirtualSwitchBondBridge); ok {
		for _, dev := range b.NicDevice {
			key := ""
			for _, p := range n.Pnic {
				if p.Device == dev {
					key = p.Key
				}
			}
			if key == "" {
				writeFault(c.w, fmt.Sprintf("no physical NIC %q", dev),
					&types.InvalidArgument{InvalidProperty: "spec.bridge.nicDevice"})
				return
			}
			for _, v := range n.Vswitch {
				for _, k := range v.Pnic {
					if k == key {
						writeFault(c.w, fmt.Sprintf("physical NIC %s is in use by %s", dev, v.Name),
							&types.ResourceInUse{Type: "PhysicalNic", Name: dev})
						return
					}
				}
			}
			pnics = append(pnics, key)
		}
	}
	if !f.passed(c, c.body) {
		return
	}
	mtu := spec.Mtu
	if mtu == 0 {
		mtu = 1500
	}
	n.Vswitch = append(n.Vswitch, types.HostVirtualSwitch{Name: name, Key: vswitchKeyPrefix + name,
		NumPorts: spec.NumPorts, NumPortsAvailable: spec.NumPorts, Mtu: mtu, Pnic: pnics, Spec: spec})
	setHostNetwork(h, n)
	writeResponse(c.w, &types.AddVirtualSwitchResponse{})
}

func (f *front) addPortGroup(c *soapCall) {
	h, _, body, ok := f.netCall(c)
	if !ok {
		return
	}
	pg := body.(*types.AddPortGroup).Portgrp
	if pg.Name == "" {
		writeFault(c.w, "a port group needs a name", &types.InvalidArgument{InvalidProperty: "portgrp.name"})
		return
	}
	// 4095 is "all VLANs" (virtual guest tagging)
	if pg.VlanId < 0 || pg.VlanId > 4095 {
		writeFault(c.w, fmt.Sprintf("vlanId %d is not within 0..4095", pg.VlanId),
			&types.InvalidArgument{InvalidProperty: "portgrp.vlanId"})
		return
	}
	n := hostNetwork(h)
	if n == nil {
		writeFault(c.w, "the host has no network configuration", &types.HostConfigFault{})
		return
	}
	sw := findSwitch(n, pg.VswitchName)
	if sw < 0 {
		writeFault(c.w, fmt.Sprintf("no virtual switch %q", pg.VswitchName), &types.NotFound{})
		return
	}
	if findPortGroup(n, pg.Name) >= 0 {
		writeFault(c.w, fmt.Sprintf("port group %q exists", pg.Name), &types.AlreadyExists{Name: pg.Name})
		return
	}
	if !f.passed(c, c.body) {
		return
	}
	key := portgroupKeyPrefix + pg.Name
	n.Portgroup = append(n.Portgroup, types.HostPortGroup{Key: key, Vswitch: n.Vswitch[sw].Key, Spec: pg})
	n.Vswitch[sw].Portgroup = append(append([]string(nil), n.Vswitch[sw].Portgroup...), key)
	setHostNetwork(h, n)
	writeResponse(c.w, &types.AddPortGroupResponse{})
}

// dropPortGroup removes port group index I from N and from its switch.
func dropPortGroup(n *types.HostNetworkInfo, i int) {
	key := n.Portgroup[i].Key
	n.Portgroup = append(n.Portgroup[:i:i], n.Portgroup[i+1:]...)
	for s := range n.Vswitch {
		var keep []string
		for _, k := range n.Vswitch[s].Portgroup {
			if k != key {
				keep = append(keep, k)
			}
		}
		n.Vswitch[s].Portgroup = keep
	}
}

// removeBody is a RemovePortGroup request for vcsim, made by the front.
func removeBody(this types.ManagedObjectReference, pg string) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope ` +
		`xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>` +
		`<RemovePortGroup xmlns="urn:vim25"><_this type="HostNetworkSystem">`)
	_ = xml.EscapeText(&b, []byte(this.Value))
	b.WriteString(`</_this><pgName>`)
	_ = xml.EscapeText(&b, []byte(pg))
	b.WriteString(`</pgName></RemovePortGroup></soapenv:Body></soapenv:Envelope>`)
	return b.Bytes()
}

func (f *front) removePortGroup(c *soapCall) {
	h, this, body, ok := f.netCall(c)
	if !ok {
		return
	}
	name := body.(*types.RemovePortGroup).PgName
	n := hostNetwork(h)
	i := -1
	if n != nil {
		i = findPortGroup(n, name)
	}
	if i < 0 {
		writeFault(c.w, fmt.Sprintf("no port group %q", name), &types.NotFound{})
		return
	}
	if user := portGroupUser(h, n, name); user != "" {
		writeFault(c.w, fmt.Sprintf("port group %s is in use by %s", name, user),
			&types.ResourceInUse{Type: "Network", Name: name})
		return
	}
	if vcsimHas(this, "", name) && !f.passed(c, c.body) {
		return
	}
	dropPortGroup(n, i)
	setHostNetwork(h, n)
	writeResponse(c.w, &types.RemovePortGroupResponse{})
}

func (f *front) removeVirtualSwitch(c *soapCall) {
	h, this, body, ok := f.netCall(c)
	if !ok {
		return
	}
	name := body.(*types.RemoveVirtualSwitch).VswitchName
	n := hostNetwork(h)
	sw := -1
	if n != nil {
		sw = findSwitch(n, name)
	}
	if sw < 0 {
		writeFault(c.w, fmt.Sprintf("no virtual switch %q", name), &types.NotFound{})
		return
	}
	// ESX removes the switch's port groups with it, unless one is in use
	var pgs []string
	for _, p := range n.Portgroup {
		if p.Vswitch == n.Vswitch[sw].Key {
			if user := portGroupUser(h, n, p.Spec.Name); user != "" {
				writeFault(c.w, fmt.Sprintf("virtual switch %s: port group %s is in use by %s", name, p.Spec.Name,
					user), &types.ResourceInUse{Type: "VirtualSwitch", Name: name})
				return
			}
			pgs = append(pgs, p.Spec.Name)
		}
	}
	for _, pg := range pgs {
		if vcsimHas(this, "", pg) && !f.passed(c, removeBody(this, pg)) {
			return
		}
		dropPortGroup(n, findPortGroup(n, pg))
	}
	if vcsimHas(this, name, "") && !f.passed(c, c.body) {
		return
	}
	n.Vswitch = append(n.Vswitch[:sw:sw], n.Vswitch[sw+1:]...)
	setHostNetwork(h, n)
	writeResponse(c.w, &types.RemoveVirtualSwitchResponse{})
}

type vmNetSpec struct {
	VM      string `json:"vm"`
	Network string `json:"network"`
	Remove  bool   `json:"remove"`
}

// POST /hvd-sim/vmnet {"vm":"NAME or moref","network":"PORT GROUP","remove":false}
func controlVMNet(w http.ResponseWriter, r *http.Request) {
	var spec vmNetSpec
	if !readJSON(w, r, &spec) {
		return
	}
	vm, err := findVM(spec.VM)
	if err != nil {
		writeJSONError(w, http.StatusNotFound, err)
		return
	}
	var net *types.ManagedObjectReference
	for _, e := range simulator.Map.All("Network") {
		if e.Entity().Name == spec.Network {
			ref := e.Reference()
			net = &ref
			break
		}
	}
	if net == nil {
		writeJSONError(w, http.StatusNotFound, fmt.Errorf("no network named %q", spec.Network))
		return
	}
	var names []string
	simulator.Map.WithLock(vm, func() {
		var nets []types.ManagedObjectReference
		for _, n := range vm.Network {
			if n != *net {
				nets = append(nets, n)
			}
		}
		if !spec.Remove {
			nets = append(nets, *net)
		}
		simulator.Map.Update(vm, []types.PropertyChange{{Name: "network", Val: nets}})
		for _, n := range nets {
			if e, ok := simulator.Map.Get(n).(mo.Entity); ok {
				names = append(names, e.Entity().Name)
			}
		}
	})
	writeJSON(w, http.StatusOK, map[string]interface{}{"vm": vm.Self.Value, "networks": names})
}
