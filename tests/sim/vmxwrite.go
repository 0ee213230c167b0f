package main

import (
	"fmt"
	"os"
	"path"
	"strings"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// A real .vmx for every VM. vcsim writes empty .vmx files; ESX keeps each
// VM's configuration there. So the harness writes one, generated from the
// VM's config as ESX would, for every VM when it starts, for each VM that
// CreateVM_Task makes, and again after each ReconfigVM_Task. A file the harness did not write (uploaded by a test or
// a driver, as define does) is left alone: it is the VM's truth.

const vmxMarker = "# written by hvd-sim"

func (f *front) registerVMXWriter() {
	f.handle("ReconfigVM_Task", f.reconfigVM)
	f.handle("CreateVM_Task", f.createVM)
	for _, e := range simulator.Map.All("VirtualMachine") {
		if vm, ok := e.(*simulator.VirtualMachine); ok {
			simulator.Map.WithLock(vm, func() { writeVMX(vm) })
		}
	}
}

func (f *front) reconfigVM(c *soapCall) {
	if d, ok := f.tasks.delayFor(c.method); ok {
		f.tasks.start(f, c, d)
		return
	}
	f.pass(c)
	m, err := decodeRequest(c.body)
	if err != nil {
		return
	}
	if vm, ok := simulator.Map.Get(m.This).(*simulator.VirtualMachine); ok {
		simulator.Map.WithLock(vm, func() { writeVMX(vm) })
	}
}

// createVM lets vcsim create the VM, then writes the .vmx of every VM whose
// file is still vcsim's empty one (the new VM's).
func (f *front) createVM(c *soapCall) {
	if d, ok := f.tasks.delayFor(c.method); ok {
		f.tasks.start(f, c, d)
		return
	}
	f.pass(c)
	for _, e := range simulator.Map.All("VirtualMachine") {
		vm, ok := e.(*simulator.VirtualMachine)
		if !ok || vm.Config == nil {
			continue
		}
		if file, ok := datastoreFile(vm.Config.Files.VmPathName); ok {
			if st, err := os.Stat(file); err == nil && st.Size() == 0 {
				simulator.Map.WithLock(vm, func() { writeVMX(vm) })
			}
		}
	}
}

// vmxEscape is the pipe encoding of VMX values.
func vmxEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r == '"' || r == '|' || r < 0x20 || r == '#' {
			fmt.Fprintf(&b, "|%02X", r)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// vmfsPath maps "[DS] dir/f" to "/vmfs/volumes/DS/dir/f", as a .vmx names files.
func vmfsPath(p string) string {
	if !strings.HasPrefix(p, "[") {
		return p
	}
	end := strings.Index(p, "]")
	if end < 0 {
		return p
	}
	return "/vmfs/volumes/" + p[1:end] + "/" + strings.TrimSpace(p[end+1:])
}

func biosUUID(u string) string {
	h := strings.ReplaceAll(u, "-", "")
	if len(h) != 32 {
		return ""
	}
	parts := make([]string, 16)
	for i := range parts {
		parts[i] = h[2*i : 2*i+2]
	}
	return strings.Join(parts[:8], " ") + "-" + strings.Join(parts[8:], " ")
}

func scsiModel(d types.BaseVirtualDevice) string {
	switch d.(type) {
	case *types.VirtualLsiLogicController:
		return "lsilogic"
	case *types.VirtualBusLogicController:
		return "buslogic"
	case *types.ParaVirtualSCSIController:
		return "pvscsi"
	case *types.VirtualLsiLogicSASController:
		return "lsisas1068"
	}
	return ""
}

func nicModel(d types.BaseVirtualDevice) string {
	switch d.(type) {
	case *types.VirtualE1000:
		return "e1000"
	case *types.VirtualE1000e:
		return "e1000e"
	case *types.VirtualVmxnet3:
		return "vmxnet3"
	case *types.VirtualVmxnet2:
		return "vmxnet2"
	case *types.VirtualPCNet32:
		return "vlance"
	}
	return ""
}

// vmxLines is the .vmx ESX would write for the VM's config.
func vmxLines(vm *simulator.VirtualMachine) []string {
	cfg := vm.Config
	var out []string
	at := map[string]int{}
	// a key set twice keeps its place and takes the later value, as a
	// .vmx holds each key once
	set := func(k, v string) {
		line := fmt.Sprintf("%s = \"%s\"", k, vmxEscape(v))
		if i, ok := at[strings.ToLower(k)]; ok {
			out[i] = line
			return
		}
		at[strings.ToLower(k)] = len(out)
		out = append(out, line)
	}
	out = append(out, vmxMarker)
	set(".encoding", "UTF-8")
	set("config.version", "8")
	hw := strings.TrimPrefix(cfg.Version, "vmx-")
	if hw == "" || hw == cfg.Version {
		hw = "4"
	}
	set("virtualHW.version", hw)
	set("displayName", vm.Name)
	if cfg.Annotation != "" {
		set("annotation", cfg.Annotation)
	}
	if u := biosUUID(cfg.Uuid); u != "" {
		set("uuid.bios", u)
	}
	set("memsize", fmt.Sprint(cfg.Hardware.MemoryMB))
	if a := cfg.MemoryAllocation; a != nil && a.Limit != nil && *a.Limit >= 0 && *a.Limit < int64(cfg.Hardware.MemoryMB) {
		set("sched.mem.max", fmt.Sprint(*a.Limit))
	}
	n := cfg.Hardware.NumCPU
	if n < 1 {
		n = 1
	}
	set("numvcpus", fmt.Sprint(n))
	if strings.Contains(cfg.GuestId, "64") {
		set("guestOS", "other-64")
	} else {
		set("guestOS", "other")
	}
	controllers := map[int32]string{}
	for _, d := range cfg.Hardware.Device {
		dev := d.GetVirtualDevice()
		switch c := d.(type) {
		case *types.VirtualIDEController:
			controllers[dev.Key] = fmt.Sprintf("ide%d", c.BusNumber)
		case *types.VirtualAHCIController:
			controllers[dev.Key] = fmt.Sprintf("sata%d", c.BusNumber)
			set(controllers[dev.Key]+".present", "TRUE")
		default:
			if m := scsiModel(d); m != "" {
				bus := d.(types.BaseVirtualSCSIController).GetVirtualSCSIController().BusNumber
				controllers[dev.Key] = fmt.Sprintf("scsi%d", bus)
				set(controllers[dev.Key]+".present", "TRUE")
				set(controllers[dev.Key]+".virtualDev", m)
			}
		}
	}
	nic := 0
	for _, d := range cfg.Hardware.Device {
		dev := d.GetVirtualDevice()
		ctrl := controllers[dev.ControllerKey]
		unit := int32(0)
		if dev.UnitNumber != nil {
			unit = *dev.UnitNumber
		}
		prefix := fmt.Sprintf("%s:%d", ctrl, unit)
		switch x := d.(type) {
		case *types.VirtualDisk:
			if ctrl == "" {
				continue
			}
			b, ok := dev.Backing.(types.BaseVirtualDeviceFileBackingInfo)
			if !ok {
				continue
			}
			set(prefix+".present", "TRUE")
			if strings.HasPrefix(ctrl, "ide") {
				set(prefix+".deviceType", "ata-hardDisk")
			} else {
				set(prefix+".deviceType", "scsi-hardDisk")
			}
			set(prefix+".fileName", vmfsPath(b.GetVirtualDeviceFileBackingInfo().FileName))
		case *types.VirtualCdrom:
			if ctrl == "" {
				continue
			}
			set(prefix+".present", "TRUE")
			if iso, ok := dev.Backing.(*types.VirtualCdromIsoBackingInfo); ok {
				set(prefix+".deviceType", "cdrom-image")
				set(prefix+".fileName", vmfsPath(iso.FileName))
			} else if b, ok := dev.Backing.(types.BaseVirtualDeviceDeviceBackingInfo); ok {
				set(prefix+".deviceType", "atapi-cdrom")
				set(prefix+".fileName", b.GetVirtualDeviceDeviceBackingInfo().DeviceName)
			} else {
				set(prefix+".deviceType", "atapi-cdrom")
				set(prefix+".fileName", "")
			}
		case *types.VirtualMachineVideoCard:
			if x.VideoRamSizeInKB > 0 {
				set("svga.vramSize", fmt.Sprint(x.VideoRamSizeInKB*1024))
			}
		default:
			m := nicModel(d)
			if m == "" {
				continue
			}
			card := d.(types.BaseVirtualEthernetCard).GetVirtualEthernetCard()
			p := fmt.Sprintf("ethernet%d", nic)
			nic++
			set(p+".present", "TRUE")
			set(p+".virtualDev", m)
			switch b := dev.Backing.(type) {
			case *types.VirtualEthernetCardDistributedVirtualPortBackingInfo:
				set(p+".dvs.switchId", b.Port.SwitchUuid)
				if b.Port.PortKey != "" {
					set(p+".dvs.portId", b.Port.PortKey)
				}
				if b.Port.PortgroupKey != "" {
					set(p+".dvs.portgroupId", b.Port.PortgroupKey)
				}
				if b.Port.ConnectionCookie != 0 {
					set(p+".dvs.connectionId", fmt.Sprint(b.Port.ConnectionCookie))
				}
			case *types.VirtualEthernetCardNetworkBackingInfo:
				set(p+".networkName", b.DeviceName)
			default:
				set(p+".networkName", "")
			}
			if card.MacAddress != "" {
				if card.AddressType == "manual" {
					set(p+".addressType", "static")
					set(p+".address", card.MacAddress)
				} else {
					set(p+".addressType", "generated")
					set(p+".generatedAddress", card.MacAddress)
				}
			}
		}
	}
	return out
}

// writeVMX writes the VM's .vmx unless someone else wrote that file.
func writeVMX(vm *simulator.VirtualMachine) {
	if vm.Config == nil {
		return
	}
	file, ok := datastoreFile(vm.Config.Files.VmPathName)
	if !ok || path.Ext(file) != ".vmx" {
		return
	}
	if old, err := os.ReadFile(file); err == nil && len(old) > 0 && !strings.HasPrefix(string(old), vmxMarker) {
		return
	}
	_ = os.WriteFile(file, []byte(strings.Join(vmxLines(vm), "\n")+"\n"), 0600)
}
