package main

import (
	"fmt"
	"net/http"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// A VM's identity and power state, for tests: read it back after an
// operation (GET), or give two VMs one name or one BIOS UUID, an escaped
// name, or a power state vcsim's model does not start with (POST). Changes
// go through simulator.Map.Update, so property filters see them.

func (f *front) registerVMState() {
	f.control.HandleFunc(controlPrefix+"/vm", controlVM)
}

type vmState struct {
	VM    string  `json:"vm"`
	Name  *string `json:"name,omitempty"`
	UUID  *string `json:"uuid,omitempty"`
	Power *string `json:"power,omitempty"`
	// read-only: config.cpuAllocation as "reservation=R limit=L shares=LEVEL:N"
	CPUAllocation *string `json:"cpuAllocation,omitempty"`
	// read-only: config.memoryAllocation (MB), the same form
	MemoryAllocation *string `json:"memoryAllocation,omitempty"`
}

// "reservation=R limit=L shares=LEVEL:N" of a ResourceAllocationInfo, nil if absent.
func allocationText(a *types.ResourceAllocationInfo) *string {
	if a == nil {
		return nil
	}
	shares := "none"
	if a.Shares != nil {
		shares = fmt.Sprintf("%s:%d", a.Shares.Level, a.Shares.Shares)
	}
	text := fmt.Sprintf("reservation=%d limit=%d shares=%s", int64Or(a.Reservation, 0), int64Or(a.Limit, -1), shares)
	return &text
}

func readVMState(vm *simulator.VirtualMachine) vmState {
	var s vmState
	simulator.Map.WithLock(vm, func() {
		name, power := vm.Name, string(vm.Runtime.PowerState)
		s = vmState{VM: vm.Self.Value, Name: &name, Power: &power}
		if vm.Config != nil {
			uuid := vm.Config.Uuid
			s.UUID = &uuid
			s.CPUAllocation = allocationText(vm.Config.CpuAllocation)
			s.MemoryAllocation = allocationText(vm.Config.MemoryAllocation)
		}
	})
	return s
}

// GET /hvd-sim/vm?vm=NAME or moref; POST /hvd-sim/vm {"vm":..,"name":..,"uuid":..,"power":..}
func controlVM(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet {
		vm, err := findVM(r.URL.Query().Get("vm"))
		if err != nil {
			writeJSONError(w, http.StatusNotFound, err)
			return
		}
		writeJSON(w, http.StatusOK, readVMState(vm))
		return
	}
	var req vmState
	if !readJSON(w, r, &req) {
		return
	}
	vm, err := findVM(req.VM)
	if err != nil {
		writeJSONError(w, http.StatusNotFound, err)
		return
	}
	var changes []types.PropertyChange
	if req.Name != nil {
		changes = append(changes, types.PropertyChange{Name: "name", Val: *req.Name},
			types.PropertyChange{Name: "config.name", Val: *req.Name},
			types.PropertyChange{Name: "summary.config.name", Val: *req.Name})
	}
	if req.UUID != nil {
		changes = append(changes, types.PropertyChange{Name: "config.uuid", Val: *req.UUID},
			types.PropertyChange{Name: "summary.config.uuid", Val: *req.UUID})
	}
	if req.Power != nil {
		state := types.VirtualMachinePowerState(*req.Power)
		changes = append(changes, types.PropertyChange{Name: "runtime.powerState", Val: state},
			types.PropertyChange{Name: "summary.runtime.powerState", Val: state})
	}
	simulator.Map.WithLock(vm, func() { simulator.Map.Update(vm, changes) })
	writeJSON(w, http.StatusOK, readVMState(vm))
}

func int64Or(p *int64, def int64) int64 {
	if p == nil {
		return def
	}
	return *p
}
