package main

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// iSCSI. vcsim's hosts have no iSCSI adapter and their HostStorageSystem no
// RescanHba. The control endpoint gives hosts a software iSCSI adapter
// (vmhba33) with static targets and their LUNs, shaped as ESX reports them
// in config.storageDevice: the adapter in hostBusAdapter, the disks in
// scsiLun, and target -> LUN links in scsiTopology, which is where a client
// finds the LUNs of a target (libvirt's iSCSI storage pools).

const (
	iscsiDevice  = "vmhba33"
	iscsiHbaKey  = "key-vim.host.InternetScsiHba-" + iscsiDevice
	iscsiTopoKey = "key-vim.host.ScsiTopology.Interface-" + iscsiDevice
)

type lunSpec struct {
	SizeMB int64 `json:"size_mb"`
}

type targetSpec struct {
	IQN     string    `json:"iqn"`
	Address string    `json:"address"`
	Port    int32     `json:"port"`
	LUNs    []lunSpec `json:"luns"`
}

type iscsiSpec struct {
	Host    string       `json:"host"`
	Targets []targetSpec `json:"targets"`
}

var defaultTargets = []targetSpec{
	{IQN: "iqn.2024-01.org.example.storage:target0", Address: "192.0.2.10", Port: 3260,
		LUNs: []lunSpec{{SizeMB: 1024}, {SizeMB: 2048}}},
	{IQN: "iqn.2024-01.org.example.storage:target1", Address: "192.0.2.11", Port: 3260,
		LUNs: []lunSpec{{SizeMB: 512}}},
}

func (f *front) registerISCSI() {
	f.control.HandleFunc(controlPrefix+"/iscsi", controlISCSI)
	f.handle("RescanHba", f.rescanHba)
}

func allHosts() []*simulator.HostSystem {
	var hosts []*simulator.HostSystem
	for _, e := range simulator.Map.All("HostSystem") {
		if h, ok := e.(*simulator.HostSystem); ok {
			hosts = append(hosts, h)
		}
	}
	return hosts
}

func findHosts(nameOrRef string) ([]*simulator.HostSystem, error) {
	hosts := allHosts()
	if nameOrRef == "" {
		return hosts, nil
	}
	for _, h := range hosts {
		if h.Self.Value == nameOrRef || h.Name == nameOrRef {
			return []*simulator.HostSystem{h}, nil
		}
	}
	return nil, fmt.Errorf("no host named or with moref %q", nameOrRef)
}

// POST /hvd-sim/iscsi {"host":"NAME or moref (default: every host)",
//
//	"targets":[{"iqn":..,"address":..,"port":3260,"luns":[{"size_mb":1024}]}]}
func controlISCSI(w http.ResponseWriter, r *http.Request) {
	var spec iscsiSpec
	if !readJSON(w, r, &spec) {
		return
	}
	hosts, err := findHosts(spec.Host)
	if err != nil {
		writeJSONError(w, http.StatusNotFound, err)
		return
	}
	if spec.Targets == nil {
		spec.Targets = defaultTargets
	}
	for i, t := range spec.Targets {
		if t.IQN == "" || t.Address == "" {
			writeJSONError(w, http.StatusBadRequest, fmt.Errorf("target %d needs an iqn and an address", i))
			return
		}
		for _, l := range t.LUNs {
			if l.SizeMB <= 0 {
				writeJSONError(w, http.StatusBadRequest, fmt.Errorf("target %s: LUN sizes must be positive", t.IQN))
				return
			}
		}
	}
	var refs []string
	for _, h := range hosts {
		setISCSI(h, spec.Targets)
		refs = append(refs, h.Self.Value)
	}
	writeJSON(w, http.StatusOK, map[string]interface{}{"hosts": refs, "hba": iscsiDevice, "targets": spec.Targets})
}

// lunID is a stable NAA-like identifier for a LUN of a target on a host.
func lunID(host, iqn string, lun int) string {
	sum := sha1.Sum([]byte(fmt.Sprintf("%s|%s|%d", host, iqn, lun)))
	return "6" + hex.EncodeToString(sum[:])[:31]
}

// setISCSI replaces the host's iSCSI adapter, its LUNs and their topology.
func setISCSI(host *simulator.HostSystem, targets []targetSpec) {
	hba := &types.HostInternetScsiHba{
		HostHostBusAdapter: types.HostHostBusAdapter{
			Key: iscsiHbaKey, Device: iscsiDevice, Status: "online",
			Model: "iSCSI Software Adapter", Driver: "iscsi_vmk",
		},
		IsSoftwareBased: true,
		CanBeDisabled:   types.NewBool(true),
		DiscoveryCapabilities: types.HostInternetScsiHbaDiscoveryCapabilities{
			ISnsDiscoverySettable: false, SlpDiscoverySettable: false,
			StaticTargetDiscoverySettable: true, SendTargetsDiscoverySettable: true,
		},
		DiscoveryProperties: types.HostInternetScsiHbaDiscoveryProperties{
			StaticTargetDiscoveryEnabled: true, SendTargetsDiscoveryEnabled: true,
		},
		IScsiName: "iqn.1998-01.com.vmware:" + strings.ToLower(host.Name) + "-hvdsim",
	}
	topo := types.HostScsiTopologyInterface{Key: iscsiTopoKey, Adapter: iscsiHbaKey}
	var luns []types.BaseScsiLun
	for ti, t := range targets {
		port := t.Port
		if port == 0 {
			port = 3260
		}
		hba.ConfiguredStaticTarget = append(hba.ConfiguredStaticTarget, types.HostInternetScsiHbaStaticTarget{
			Address: t.Address, Port: port, IScsiName: t.IQN, DiscoveryMethod: "staticMethod",
		})
		target := types.HostScsiTopologyTarget{
			Key:    fmt.Sprintf("key-vim.host.ScsiTopology.Target-%s:0:%d", iscsiDevice, ti),
			Target: int32(ti),
			Transport: &types.HostInternetScsiTargetTransport{
				IScsiName: t.IQN,
				Address:   []string{fmt.Sprintf("%s:%d", t.Address, port)},
			},
		}
		for li, l := range t.LUNs {
			id := lunID(host.Self.Value, t.IQN, li)
			uuid := "0200" + fmt.Sprintf("%02x", li) + "0000" + id + "4953435349"
			path := "/vmfs/devices/disks/naa." + id
			disk := &types.HostScsiDisk{
				ScsiLun: types.ScsiLun{
					HostDevice:       types.HostDevice{DeviceName: path, DeviceType: "disk"},
					Key:              "key-vim.host.ScsiDisk-" + uuid,
					Uuid:             uuid,
					CanonicalName:    "naa." + id,
					DisplayName:      fmt.Sprintf("HVDSIM iSCSI Disk (naa.%s)", id),
					LunType:          "disk",
					Vendor:           "HVDSIM",
					Model:            "iSCSI Disk",
					Revision:         "0001",
					OperationalState: []string{"ok"},
				},
				Capacity:   types.HostDiskDimensionsLba{BlockSize: 512, Block: l.SizeMB * 2048},
				DevicePath: path,
				Ssd:        types.NewBool(false),
				LocalDisk:  types.NewBool(false),
			}
			luns = append(luns, disk)
			target.Lun = append(target.Lun, types.HostScsiTopologyLun{
				Key:     "key-vim.host.ScsiTopology.Lun-" + uuid,
				Lun:     int32(li),
				ScsiLun: disk.Key,
			})
		}
		topo.Target = append(topo.Target, target)
	}

	simulator.Map.WithLock(host, func() {
		var info types.HostStorageDeviceInfo
		if host.Config.StorageDevice != nil {
			info = *host.Config.StorageDevice
		}
		// Drop a previous iSCSI setup: the adapter, its topology, its LUNs.
		old := make(map[string]bool)
		var adapters []types.HostScsiTopologyInterface
		if info.ScsiTopology != nil {
			for _, a := range info.ScsiTopology.Adapter {
				if a.Key != iscsiTopoKey {
					adapters = append(adapters, a)
					continue
				}
				for _, t := range a.Target {
					for _, l := range t.Lun {
						old[l.ScsiLun] = true
					}
				}
			}
		}
		var hbas []types.BaseHostHostBusAdapter
		for _, h := range info.HostBusAdapter {
			if h.GetHostHostBusAdapter().Key != iscsiHbaKey {
				hbas = append(hbas, h)
			}
		}
		var all []types.BaseScsiLun
		for _, l := range info.ScsiLun {
			if !old[l.GetScsiLun().Key] {
				all = append(all, l)
			}
		}
		info.HostBusAdapter = append(hbas, hba)
		info.ScsiLun = append(all, luns...)
		info.ScsiTopology = &types.HostScsiTopology{Adapter: append(adapters, topo)}
		info.SoftwareInternetScsiEnabled = true
		simulator.Map.Update(host, []types.PropertyChange{{Name: "config.storageDevice", Val: info}})
	})
}

// RescanHba(hbaDevice) on a host's HostStorageSystem: NotFound for an
// unknown adapter, as on ESX; otherwise nothing changes (the LUNs are
// whatever the control endpoint set).
func (f *front) rescanHba(c *soapCall) {
	this, body, ok := f.decode(c)
	if !ok || !f.requireSession(c, this) {
		return
	}
	req := body.(*types.RescanHba)
	var host *simulator.HostSystem
	for _, h := range allHosts() {
		if ss := h.ConfigManager.StorageSystem; ss != nil && *ss == this {
			host = h
			break
		}
	}
	if host == nil {
		writeNotFound(c.w, this)
		return
	}
	found := false
	simulator.Map.WithLock(host, func() {
		if host.Config.StorageDevice == nil {
			return
		}
		for _, h := range host.Config.StorageDevice.HostBusAdapter {
			found = found || h.GetHostHostBusAdapter().Device == req.HbaDevice
		}
	})
	if !found {
		writeFault(c.w, fmt.Sprintf("no host bus adapter %q", req.HbaDevice), &types.NotFound{})
		return
	}
	writeResponse(c.w, &types.RescanHbaResponse{})
}
