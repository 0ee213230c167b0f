package main

import (
	"fmt"
	"net/http"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

// VirtualMachineProvisioningChecker.CheckMigrate_Task, which vcsim lacks
// (its ServiceContent names the checker, "ProvChecker", but nothing answers
// it). As the API reference describes it: the task's result is one
// CheckResult for the VM and the destination host, whose `error` list holds
// every problem that would make MigrateVM_Task fail and `warning` the ones
// that would not; nothing moves. Checked here, as vCenter does:
//   - the destination (pool and host resolved as MigrateVM_Task does; a bad
//     pool or host is the method's InvalidArgument fault, not a result);
//   - the host is connected (HostNotConnected) and not in maintenance mode
//     (InvalidState), and in the VM's datacenter (MigrationFault);
//   - the requested power state matches the VM's (InvalidPowerState);
//   - each datastore of the VM is mounted on the host
//     (DatastoreNotWritableOnHost, naming the datastore);
//   - each network of the VM is reachable from the host
//     (DeviceBackingNotSupported, naming the network and the adapter).
// vCenter only: ESX has no provisioning checker (ManagedObjectNotFound).
//
// Control endpoints, to make a destination unsuitable:
//   POST /hvd-sim/host-access {"host":"DC0_C0_H1","datastore":"LocalDS_0",
//        "network":"VM Network","access":false,"maintenance":true}
//   GET  /hvd-sim/vm-host?vm=NAME -> {"vm","host","host_ref","pool","datastores","networks"}

func (f *front) checkMigrate(c *soapCall) {
	this, body, ok := f.decode(c)
	if !ok || !f.requireSession(c, this) {
		return
	}
	if f.model == "esx" || this.Type != "VirtualMachineProvisioningChecker" {
		writeNotFound(c.w, this)
		return
	}
	req := body.(*types.CheckMigrate_Task)
	vm, isVM := simulator.Map.Get(req.Vm).(*simulator.VirtualMachine)
	if !isVM {
		writeNotFound(c.w, req.Vm)
		return
	}
	pool, host, msg, fault := migrationTarget(vm, req.Pool, req.Host)
	if fault != nil {
		writeFault(c.w, msg, fault)
		return
	}
	result := types.ArrayOfCheckResult{CheckResult: []types.CheckResult{checkOne(vm, host, req.State)}}
	// The task's entity is the VM (the checker is not in vcsim's registry);
	// it has finished when the method returns.
	task := simulator.CreateTask(vm, "checkMigrate", nil)
	simulator.Map.WithLock(task, func() {
		task.Info.Name = c.method
		task.Info.DescriptionId = "VirtualMachineProvisioningChecker.checkMigrate"
	})
	updateTask(task, []types.PropertyChange{
		{Name: "info.startTime", Val: time.Now()},
		{Name: "info.state", Val: types.TaskInfoStateRunning},
	})
	finish(task, result, nil)
	_ = pool
	writeRawResponse(c.w, []byte(fmt.Sprintf(
		`<%sResponse xmlns="%s"><returnval type="Task">%s</returnval></%sResponse>`,
		c.method, vimNamespace, task.Self.Value, c.method)))
}

func problem(fault types.BaseMethodFault, format string, args ...interface{}) types.LocalizedMethodFault {
	return types.LocalizedMethodFault{Fault: fault, LocalizedMessage: fmt.Sprintf(format, args...)}
}

// entityName is the name of the managed entity ref names, or its id.
func entityName(ref types.ManagedObjectReference) string {
	if e, ok := simulator.Map.Get(ref).(mo.Entity); ok && e.Entity().Name != "" {
		return e.Entity().Name
	}
	return ref.Value
}

// datacenterOf walks up from ref to its Datacenter.
func datacenterOf(ref types.ManagedObjectReference) *types.ManagedObjectReference {
	for i := 0; i < 64; i++ {
		if ref.Type == "Datacenter" {
			return &ref
		}
		e, ok := simulator.Map.Get(ref).(mo.Entity)
		if !ok || e.Entity().Parent == nil {
			return nil
		}
		ref = *e.Entity().Parent
	}
	return nil
}

// nicsOn returns the labels of the VM's network adapters backed by network.
func nicsOn(devices []types.BaseVirtualDevice, network types.ManagedObjectReference, name string) []string {
	var labels []string
	for _, d := range devices {
		card, ok := d.(types.BaseVirtualEthernetCard)
		if !ok {
			continue
		}
		dev := card.GetVirtualEthernetCard()
		match := false
		switch b := dev.Backing.(type) {
		case *types.VirtualEthernetCardNetworkBackingInfo:
			match = (b.Network != nil && *b.Network == network) || b.DeviceName == name
		case *types.VirtualEthernetCardDistributedVirtualPortBackingInfo:
			match = network.Type == "DistributedVirtualPortgroup" && b.Port.PortgroupKey == network.Value
		}
		if match && dev.DeviceInfo != nil {
			labels = append(labels, dev.DeviceInfo.GetDescription().Label)
		}
	}
	return labels
}

func checkOne(vm *simulator.VirtualMachine, host *simulator.HostSystem, state types.VirtualMachinePowerState) types.CheckResult {
	res := types.CheckResult{Vm: &vm.Self, Host: &host.Self}
	var power types.VirtualMachinePowerState
	var datastores, networks []types.ManagedObjectReference
	var devices []types.BaseVirtualDevice
	var vmHost *types.ManagedObjectReference
	simulator.Map.WithLock(vm, func() {
		power = vm.Runtime.PowerState
		datastores = append(datastores, vm.Datastore...)
		networks = append(networks, vm.Network...)
		vmHost = vm.Runtime.Host
		if vm.Config != nil {
			devices = append(devices, vm.Config.Hardware.Device...)
		}
	})
	var conn types.HostSystemConnectionState
	var maintenance bool
	var hostDatastores, hostNetworks []types.ManagedObjectReference
	simulator.Map.WithLock(host, func() {
		conn = host.Runtime.ConnectionState
		maintenance = host.Runtime.InMaintenanceMode
		hostDatastores = append(hostDatastores, host.Datastore...)
		hostNetworks = append(hostNetworks, host.Network...)
	})

	if conn != "" && conn != types.HostSystemConnectionStateConnected {
		res.Error = append(res.Error, problem(&types.HostNotConnected{},
			"Host '%s' is %s: it cannot receive virtual machines.", host.Name, conn))
	}
	if maintenance {
		res.Error = append(res.Error, problem(&types.InvalidState{},
			"Host '%s' is in maintenance mode: it cannot receive virtual machines.", host.Name))
	}
	if vmHost != nil {
		from, to := datacenterOf(*vmHost), datacenterOf(host.Self)
		if from != nil && to != nil && *from != *to {
			res.Error = append(res.Error, problem(&types.MigrationFault{},
				"Host '%s' is in datacenter '%s', the virtual machine in '%s'.", host.Name, entityName(*to),
				entityName(*from)))
		}
	}
	if state != "" && state != power {
		res.Error = append(res.Error, problem(&types.InvalidPowerState{RequestedState: state, ExistingState: power},
			"The virtual machine is %s, not %s.", power, state))
	}
	for _, ds := range datastores {
		if hasRef(hostDatastores, ds) {
			continue
		}
		name := entityName(ds)
		ref := ds
		res.Error = append(res.Error, problem(&types.DatastoreNotWritableOnHost{
			InvalidDatastore: types.InvalidDatastore{Datastore: &ref, Name: name}, Host: host.Self},
			"Datastore '%s' of the virtual machine is not accessible from host '%s'.", name, host.Name))
	}
	for _, net := range networks {
		if hasRef(hostNetworks, net) {
			continue
		}
		name := entityName(net)
		labels := nicsOn(devices, net, name)
		label := "network adapter"
		if len(labels) > 0 {
			label = labels[0]
		}
		res.Error = append(res.Error, problem(&types.DeviceBackingNotSupported{
			DeviceNotSupported: types.DeviceNotSupported{Device: label}, Backing: name},
			"Currently connected network interface '%s' uses network '%s', which is not accessible from host '%s'.",
			label, name, host.Name))
	}
	return res
}

// without returns a new slice: list minus ref (vcsim's hosts share slices).
func without(list []types.ManagedObjectReference, ref types.ManagedObjectReference) []types.ManagedObjectReference {
	out := make([]types.ManagedObjectReference, 0, len(list))
	for _, r := range list {
		if r != ref {
			out = append(out, r)
		}
	}
	return out
}

func with(list []types.ManagedObjectReference, ref types.ManagedObjectReference) []types.ManagedObjectReference {
	out := append([]types.ManagedObjectReference{}, list...)
	if !hasRef(out, ref) {
		out = append(out, ref)
	}
	return out
}

// findEntity finds a datastore or network by name or moref value.
func findEntity(kinds []string, nameOrRef string) (types.ManagedObjectReference, error) {
	for _, kind := range kinds {
		for _, e := range simulator.Map.All(kind) {
			if e.Reference().Value == nameOrRef || e.Entity().Name == nameOrRef {
				return e.Reference(), nil
			}
		}
	}
	return types.ManagedObjectReference{}, fmt.Errorf("no %v named or with moref %q", kinds, nameOrRef)
}

type hostAccessSpec struct {
	Host        string `json:"host"`
	Datastore   string `json:"datastore"`
	Network     string `json:"network"`
	Access      *bool  `json:"access,omitempty"`
	Maintenance *bool  `json:"maintenance,omitempty"`
}

// POST /hvd-sim/host-access: the host loses (access false, the default) or
// regains access to a datastore and/or a network (its `datastore` and
// `network` lists), and/or enters or leaves maintenance mode.
func controlHostAccess(w http.ResponseWriter, r *http.Request) {
	var spec hostAccessSpec
	if !readJSON(w, r, &spec) {
		return
	}
	if spec.Host == "" {
		writeJSONError(w, http.StatusBadRequest, fmt.Errorf("host-access needs a host"))
		return
	}
	hosts, err := findHosts(spec.Host)
	if err != nil {
		writeJSONError(w, http.StatusNotFound, err)
		return
	}
	h := hosts[0]
	access := spec.Access != nil && *spec.Access
	edit := func(list []types.ManagedObjectReference, ref types.ManagedObjectReference) []types.ManagedObjectReference {
		if access {
			return with(list, ref)
		}
		return without(list, ref)
	}
	var changes []types.PropertyChange
	var dsRef, netRef types.ManagedObjectReference
	if spec.Datastore != "" {
		if dsRef, err = findEntity([]string{"Datastore"}, spec.Datastore); err != nil {
			writeJSONError(w, http.StatusNotFound, err)
			return
		}
	}
	if spec.Network != "" {
		if netRef, err = findEntity([]string{"Network", "DistributedVirtualPortgroup"}, spec.Network); err != nil {
			writeJSONError(w, http.StatusNotFound, err)
			return
		}
	}
	simulator.Map.WithLock(h, func() {
		if spec.Datastore != "" {
			changes = append(changes, types.PropertyChange{Name: "datastore", Val: edit(h.Datastore, dsRef)})
		}
		if spec.Network != "" {
			changes = append(changes, types.PropertyChange{Name: "network", Val: edit(h.Network, netRef)})
		}
		if spec.Maintenance != nil {
			changes = append(changes, types.PropertyChange{Name: "runtime.inMaintenanceMode", Val: *spec.Maintenance})
		}
		if len(changes) > 0 {
			simulator.Map.Update(h, changes)
		}
	})
	var ds, nets []types.ManagedObjectReference
	simulator.Map.WithLock(h, func() {
		ds = append(ds, h.Datastore...)
		nets = append(nets, h.Network...)
	})
	writeJSON(w, http.StatusOK, map[string]interface{}{"host": h.Name, "datastores": names(ds), "networks": names(nets)})
}

func names(refs []types.ManagedObjectReference) []string {
	out := []string{}
	for _, r := range refs {
		out = append(out, entityName(r))
	}
	return out
}

// GET /hvd-sim/vm-host?vm=NAME: where the VM runs.
func controlVMHost(w http.ResponseWriter, r *http.Request) {
	vm, err := findVM(r.URL.Query().Get("vm"))
	if err != nil {
		writeJSONError(w, http.StatusNotFound, err)
		return
	}
	var host, pool *types.ManagedObjectReference
	var ds, nets []types.ManagedObjectReference
	simulator.Map.WithLock(vm, func() {
		host, pool = vm.Runtime.Host, vm.ResourcePool
		ds = append(ds, vm.Datastore...)
		nets = append(nets, vm.Network...)
	})
	out := map[string]interface{}{"vm": vm.Self.Value, "datastores": names(ds), "networks": names(nets)}
	if host != nil {
		out["host"] = entityName(*host)
		out["host_ref"] = host.Value
	}
	if pool != nil {
		out["pool"] = pool.Value
	}
	writeJSON(w, http.StatusOK, out)
}
