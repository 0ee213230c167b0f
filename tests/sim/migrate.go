package main

import (
	"fmt"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

// MigrateVM_Task, which vcsim lacks (its RelocateVM_Task does not move the
// VM between the hosts' and pools' vm lists either). vCenter only: a
// standalone ESX answers NotSupported. Follows the API reference: pool
// and/or host; a host alone keeps the VM's current pool (and must belong to
// its compute resource); a pool alone picks a host of the pool's compute
// resource; the optional
// state must match the VM's power state. A delay set for MigrateVM_Task
// (POST /hvd-sim/task-delay) makes the task run, progress and cancel like
// the others.

func (f *front) registerMigrate() {
	f.handle("MigrateVM_Task", f.migrateVM)
	f.handle("CheckMigrate_Task", f.checkMigrate)
	f.control.HandleFunc(controlPrefix+"/host-access", controlHostAccess)
	f.control.HandleFunc(controlPrefix+"/vm-host", controlVMHost)
}

// computeResource returns the compute resource (standalone or cluster) ref names.
func computeResource(ref types.ManagedObjectReference) *mo.ComputeResource {
	switch cr := simulator.Map.Get(ref).(type) {
	case *mo.ComputeResource:
		return cr
	case *simulator.ClusterComputeResource:
		return &cr.ComputeResource
	}
	return nil
}

func hasRef(list []types.ManagedObjectReference, ref types.ManagedObjectReference) bool {
	for _, r := range list {
		if r == ref {
			return true
		}
	}
	return false
}

// migrationTarget resolves the destination pool and host of a migration of
// vm, as the API reference says: a host alone keeps the VM's current pool
// (the host must then belong to that pool's compute resource); a pool alone
// picks a host of the pool's compute resource.
func migrationTarget(vm *simulator.VirtualMachine, poolRef, hostRef *types.ManagedObjectReference) (pool *simulator.ResourcePool, host *simulator.HostSystem, msg string, fault types.BaseMethodFault) {
	invalid := func(property, format string, args ...interface{}) (*simulator.ResourcePool, *simulator.HostSystem, string, types.BaseMethodFault) {
		return nil, nil, fmt.Sprintf(format, args...), &types.InvalidArgument{InvalidProperty: property}
	}
	if poolRef == nil && hostRef == nil {
		return invalid("pool", "a pool or a host is needed")
	}
	if hostRef != nil {
		h, ok := simulator.Map.Get(*hostRef).(*simulator.HostSystem)
		if !ok {
			return invalid("host", "%s is not a host", *hostRef)
		}
		host = h
	}
	if poolRef == nil {
		var current *types.ManagedObjectReference
		simulator.Map.WithLock(vm, func() { current = vm.ResourcePool })
		if current == nil {
			return invalid("pool", "VM %s has no resource pool: give a pool", vm.Name)
		}
		poolRef = current
	}
	p, ok := simulator.Map.Get(*poolRef).(*simulator.ResourcePool)
	if !ok {
		return invalid("pool", "%s is not a resource pool", *poolRef)
	}
	pool = p

	cr := computeResource(pool.Owner)
	if cr == nil || len(cr.Host) == 0 {
		return invalid("pool", "pool %s has no hosts", pool.Name)
	}
	if host == nil {
		host, _ = simulator.Map.Get(cr.Host[0]).(*simulator.HostSystem)
		if host == nil {
			return invalid("pool", "pool %s has no hosts", pool.Name)
		}
	} else if !hasRef(cr.Host, host.Self) {
		return invalid("host", "host %s is not part of pool %s's compute resource", host.Name, pool.Name)
	}
	return pool, host, "", nil
}

func (f *front) migrateVM(c *soapCall) {
	vm, body, ok := f.vmCall(c)
	if !ok {
		return
	}
	if f.model == "esx" {
		writeFault(c.w, "migration needs vCenter", &types.NotSupported{})
		return
	}
	req := body.(*types.MigrateVM_Task)
	pool, host, msg, fault := migrationTarget(vm, req.Pool, req.Host)
	if fault != nil {
		writeFault(c.w, msg, fault)
		return
	}

	effect := func() (types.AnyType, *types.LocalizedMethodFault) {
		return moveVM(vm, req.State, pool, host)
	}
	d, _ := f.tasks.delayFor(c.method)
	f.tasks.startWith(f, c, d, effect)
}

// moveVM moves vm to pool and host, checking its power state first.
func moveVM(vm *simulator.VirtualMachine, state types.VirtualMachinePowerState,
	pool *simulator.ResourcePool, host *simulator.HostSystem) (types.AnyType, *types.LocalizedMethodFault) {
	var oldHost, oldPool *types.ManagedObjectReference
	var fault *types.LocalizedMethodFault
	simulator.Map.WithLock(vm, func() {
		if state != "" && state != vm.Runtime.PowerState {
			fault = &types.LocalizedMethodFault{
				Fault:            &types.InvalidPowerState{RequestedState: state, ExistingState: vm.Runtime.PowerState},
				LocalizedMessage: fmt.Sprintf("VM %s is %s, not %s", vm.Name, vm.Runtime.PowerState, state),
			}
			return
		}
		oldHost, oldPool = vm.Runtime.Host, vm.ResourcePool
		hostRef, poolRef := host.Self, pool.Self
		simulator.Map.Update(vm, []types.PropertyChange{
			{Name: "resourcePool", Val: poolRef},
			{Name: "runtime.host", Val: hostRef},
			{Name: "summary.runtime.host", Val: hostRef},
		})
	})
	if fault != nil {
		return nil, fault
	}
	if oldHost != nil {
		if h, ok := simulator.Map.Get(*oldHost).(*simulator.HostSystem); ok {
			simulator.Map.RemoveReference(h, &h.Vm, vm.Self) // takes h's lock
		}
	}
	if oldPool != nil {
		if p, ok := simulator.Map.Get(*oldPool).(*simulator.ResourcePool); ok {
			simulator.Map.RemoveReference(p, &p.Vm, vm.Self)
		}
	}
	simulator.Map.AddReference(host, &host.Vm, vm.Self)
	simulator.Map.AddReference(pool, &pool.Vm, vm.Self)
	return nil, nil
}
