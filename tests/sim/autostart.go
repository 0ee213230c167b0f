package main

import (
	"fmt"
	"sort"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/simulator/esx"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// HostAutoStartManager. vcsim names one in each host's configManager but has
// no such object. This is a new managed object type, so unlike the
// extensions in the front handler it can live in vcsim's registry: vcsim's
// dispatcher calls ReconfigureAutostart by reflection and its property
// collector serves the "config" property.

type autoStartManager struct {
	mo.HostAutoStartManager
}

func (f *front) registerAutostart() {
	for _, e := range simulator.Map.All("HostSystem") {
		host, ok := e.(*simulator.HostSystem)
		if !ok {
			continue
		}
		ref := types.ManagedObjectReference{Type: "HostAutoStartManager", Value: "ha-autostart-mgr"}
		if f.model != "esx" {
			ref.Value = "autoStartManager-" + host.Self.Value
		}
		m := &autoStartManager{}
		m.Self = ref
		m.Config = initialAutostart()
		simulator.Map.Put(m)
		simulator.Map.WithLock(host, func() {
			host.ConfigManager.AutoStartManager = &ref
		})
	}
}

// initialAutostart is ESX's factory setting: autostart off, no VM in the sequence.
func initialAutostart() types.HostAutoStartManagerConfig {
	d := *esx.HostConfigInfo.AutoStart.Defaults
	d.Enabled = types.NewBool(false)
	return types.HostAutoStartManagerConfig{Defaults: &d}
}

var (
	startActions = map[string]bool{"": true, "none": true, "powerOn": true}
	stopActions  = map[string]bool{"": true, "none": true, "systemDefault": true, "powerOff": true,
		"suspend": true, "guestShutdown": true}
	heartbeatSettings = map[types.AutoStartWaitHeartbeatSetting]bool{"": true,
		types.AutoStartWaitHeartbeatSettingYes: true, types.AutoStartWaitHeartbeatSettingNo: true,
		types.AutoStartWaitHeartbeatSettingSystemDefault: true}
)

func invalidArgument(msg, property string) soap.HasFault {
	return &methods.ReconfigureAutostartBody{
		Fault_: simulator.Fault(msg, &types.InvalidArgument{InvalidProperty: property}),
	}
}

// ReconfigureAutostart applies spec as an incremental change, as the vSphere
// API describes it: only the defaults given change; each powerInfo entry
// replaces that VM's entry (startOrder -1: no place in the order); the
// ordered entries are then renumbered 1..n.
func (m *autoStartManager) ReconfigureAutostart(req *types.ReconfigureAutostart) soap.HasFault {
	cfg := m.Config
	defaults := types.AutoStartDefaults{}
	if cfg.Defaults != nil {
		defaults = *cfg.Defaults
	}
	if d := req.Spec.Defaults; d != nil {
		if d.Enabled != nil {
			defaults.Enabled = d.Enabled
		}
		if d.StartDelay != 0 {
			defaults.StartDelay = d.StartDelay
		}
		if d.StopDelay != 0 {
			defaults.StopDelay = d.StopDelay
		}
		if d.WaitForHeartbeat != nil {
			defaults.WaitForHeartbeat = d.WaitForHeartbeat
		}
		if d.StopAction != "" {
			if !stopActions[d.StopAction] {
				return invalidArgument(fmt.Sprintf("unknown stopAction %q", d.StopAction), "defaults.stopAction")
			}
			defaults.StopAction = d.StopAction
		}
	}

	byVM := make(map[types.ManagedObjectReference]types.AutoStartPowerInfo)
	for _, p := range cfg.PowerInfo {
		byVM[p.Key] = p
	}
	for _, p := range req.Spec.PowerInfo {
		if _, ok := simulator.Map.Get(p.Key).(*simulator.VirtualMachine); !ok {
			return invalidArgument(fmt.Sprintf("%s is not a virtual machine", p.Key), "powerInfo.key")
		}
		switch {
		case !startActions[p.StartAction]:
			return invalidArgument(fmt.Sprintf("unknown startAction %q", p.StartAction), "powerInfo.startAction")
		case !stopActions[p.StopAction]:
			return invalidArgument(fmt.Sprintf("unknown stopAction %q", p.StopAction), "powerInfo.stopAction")
		case !heartbeatSettings[p.WaitForHeartbeat]:
			return invalidArgument(fmt.Sprintf("unknown waitForHeartbeat %q", p.WaitForHeartbeat), "powerInfo.waitForHeartbeat")
		case p.StartOrder < -1:
			return invalidArgument(fmt.Sprintf("startOrder %d", p.StartOrder), "powerInfo.startOrder")
		}
		byVM[p.Key] = p
	}

	list := make([]types.AutoStartPowerInfo, 0, len(byVM))
	for _, p := range byVM {
		list = append(list, p)
	}
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i].StartOrder, list[j].StartOrder
		if (a == -1) != (b == -1) {
			return b == -1 // ordered entries first
		}
		if a != b {
			return a < b
		}
		return list[i].Key.Value < list[j].Key.Value
	})
	for i := range list {
		if list[i].StartOrder != -1 {
			list[i].StartOrder = int32(i + 1)
		}
	}

	simulator.Map.Update(m, []types.PropertyChange{{Name: "config", Val: types.HostAutoStartManagerConfig{
		Defaults:  &defaults,
		PowerInfo: list,
	}}})
	return &methods.ReconfigureAutostartBody{Res: &types.ReconfigureAutostartResponse{}}
}
