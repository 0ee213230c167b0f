package main

import (
	"bufio"
	"os"
	"path"
	"strconv"
	"strings"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// RegisterVM_Task. vcsim opens every file a new VM has (the .vmx, NAME.nvram
// and vmware.log beside it) and fails with NotFound when one is missing;
// real ESX needs only the .vmx. So the missing two are created empty before
// vcsim registers the VM, and afterwards the VM takes memsize, numvcpus and
// annotation from the .vmx, as ESX reads them (vcsim gives every new VM its
// defaults).

func (f *front) registerRegisterVM() {
	f.handle("RegisterVM_Task", f.registerVMTask)
	f.handle("Reload", f.reloadVM)
}

// reloadVM answers Reload (ManagedEntity), which vcsim lacks, for a VM:
// ESX reads the VM's .vmx again (a client edited it by hand, or uploaded a
// new one); here the VM takes memsize, numvcpus and annotation from it, as
// at registration. Reload of any other entity is a no-op, as on ESX.
func (f *front) reloadVM(c *soapCall) {
	this, _, ok := f.decode(c)
	if !ok || !f.requireSession(c, this) {
		return
	}
	obj := simulator.Map.Get(this)
	if obj == nil {
		writeNotFound(c.w, this)
		return
	}
	if vm, ok := obj.(*simulator.VirtualMachine); ok && vm.Config != nil {
		vmPath := vm.Config.Files.VmPathName
		if file, ok := datastoreFile(vmPath); ok {
			values := vmxValues(file)
			simulator.Map.WithLock(vm, func() { applyVMX(vm, vmPath, values) })
		}
	}
	writeResponse(c.w, &types.ReloadResponse{})
}

// datastoreFile maps "[DS] dir/f.vmx" to the file in the simulator's datastore.
func datastoreFile(dsPath string) (string, bool) {
	if !strings.HasPrefix(dsPath, "[") {
		return "", false
	}
	end := strings.Index(dsPath, "]")
	if end < 0 {
		return "", false
	}
	name, rel := dsPath[1:end], strings.TrimSpace(dsPath[end+1:])
	for _, e := range simulator.Map.All("Datastore") {
		ds, ok := e.(*simulator.Datastore)
		if ok && ds.Name == name {
			return path.Join(ds.Info.GetDatastoreInfo().Url, rel), true
		}
	}
	return "", false
}

func touch(p string) {
	if _, err := os.Stat(p); os.IsNotExist(err) {
		if f, err := os.Create(p); err == nil {
			_ = f.Close()
		}
	}
}

// vmxValues reads the KEY = "VALUE" lines of a .vmx.
func vmxValues(file string) map[string]string {
	out := map[string]string{}
	f, err := os.Open(file)
	if err != nil {
		return out
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := s.Text()
		eq := strings.Index(line, "=")
		if eq < 0 {
			continue
		}
		key := strings.ToLower(strings.TrimSpace(line[:eq]))
		out[key] = strings.Trim(strings.TrimSpace(line[eq+1:]), "\"")
	}
	return out
}

func (f *front) registerVMTask(c *soapCall) {
	var req *types.RegisterVM_Task
	if m, err := decodeRequest(c.body); err == nil {
		req, _ = m.Body.(*types.RegisterVM_Task)
	}
	file := ""
	if req != nil {
		if p, ok := datastoreFile(req.Path); ok {
			file = p
			name := req.Name
			if name == "" {
				name = path.Base(path.Dir(p))
			}
			if _, err := os.Stat(p); err == nil {
				touch(path.Join(path.Dir(p), name+".nvram"))
				touch(path.Join(path.Dir(p), "vmware.log"))
			}
		}
	}
	if d, ok := f.tasks.delayFor(c.method); ok {
		// a delayed registration (to be observed or cancelled) keeps vcsim's defaults
		f.tasks.start(f, c, d)
		return
	}
	f.pass(c)
	if file == "" {
		return
	}
	values := vmxValues(file)
	for _, e := range simulator.Map.All("VirtualMachine") {
		vm, ok := e.(*simulator.VirtualMachine)
		if !ok {
			continue
		}
		simulator.Map.WithLock(vm, func() { applyVMX(vm, req.Path, values) })
	}
}

func applyVMX(vm *simulator.VirtualMachine, vmPath string, values map[string]string) {
	if vm.Config == nil || vm.Config.Files.VmPathName != vmPath {
		return
	}
	var changes []types.PropertyChange
	if mb, err := strconv.Atoi(values["memsize"]); err == nil && mb > 0 {
		changes = append(changes,
			types.PropertyChange{Name: "config.hardware.memoryMB", Val: int32(mb)},
			types.PropertyChange{Name: "summary.config.memorySizeMB", Val: int32(mb)})
	}
	if n, err := strconv.Atoi(values["numvcpus"]); err == nil && n > 0 {
		changes = append(changes,
			types.PropertyChange{Name: "config.hardware.numCPU", Val: int32(n)},
			types.PropertyChange{Name: "summary.config.numCpu", Val: int32(n)})
	}
	if a, ok := values["annotation"]; ok {
		changes = append(changes, types.PropertyChange{Name: "config.annotation", Val: a})
	}
	if len(changes) > 0 {
		simulator.Map.Update(vm, changes)
	}
}
