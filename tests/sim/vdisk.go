package main

import (
	"bufio"
	"fmt"
	"os"
	"path"
	"strconv"
	"strings"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/vim25/types"
)

// Virtual disks as ESX keeps them. vcsim's CreateVirtualDisk_Task makes two
// empty files and forgets the spec, its datastore search reports no disk
// details, and it has no ZeroFillVirtualDisk_Task. Here a created disk gets a
// real descriptor (RW <sectors> VMFS "x-flat.vmdk", ddb.adapterType,
// ddb.thinProvisioned) and a -flat extent as large as a thick disk's
// capacity (sparse); searches report each disk's capacityKb, diskType, thin
// flag, controller and size from them; zero-filling rewrites the extent as
// zeros and makes the disk eager-zeroed thick. Tests read the descriptor in
// the datastore's directory (GET /hvd-sim/datastore) to check the server.

func (f *front) registerVirtualDisks() {
	f.handle("CreateVirtualDisk_Task", f.createVirtualDisk)
	f.handle("ZeroFillVirtualDisk_Task", f.zeroFillVirtualDisk)
	f.handle("SearchDatastoreSubFolders_Task", f.searchWithDiskDetails)
	f.handle("SearchDatastore_Task", f.searchWithDiskDetails)
}

func (f *front) delayOrNow(method string) delaySpec {
	if d, ok := f.tasks.delayFor(method); ok {
		return d
	}
	return delaySpec{Method: method, Steps: 1}
}

// localPath maps "[ds] dir/file" (or vcsim's "[ds]/dir") to the local file.
func localPath(dsPath string) (string, error) {
	var p object.DatastorePath
	if !p.FromString(dsPath) {
		return "", fmt.Errorf("invalid datastore path %q", dsPath)
	}
	ds, err := findDatastore(p.Datastore)
	if err != nil {
		return "", err
	}
	return path.Join(ds.Info.GetDatastoreInfo().Url, p.Path), nil
}

func flatName(file string) string {
	return strings.TrimSuffix(file, ".vmdk") + "-flat.vmdk"
}

type diskDescriptor struct {
	sectors  int64
	adapter  string
	diskType string // thin, preallocated, eagerZeroedThick
}

func writeDescriptor(file string, d diskDescriptor) error {
	thin := 0
	if d.diskType == "thin" {
		thin = 1
	}
	text := fmt.Sprintf("# Disk DescriptorFile\nversion=1\nCID=fffffffe\nparentCID=ffffffff\ncreateType=\"vmfs\"\n\n"+
		"# Extent description\nRW %d VMFS \"%s\"\n\n# The Disk Data Base\n#DDB\n\n"+
		"ddb.adapterType = \"%s\"\nddb.thinProvisioned = \"%d\"\nddb.hvdsim.diskType = \"%s\"\n",
		d.sectors, path.Base(flatName(file)), d.adapter, thin, d.diskType)
	return os.WriteFile(file, []byte(text), 0o644)
}

func readDescriptor(file string) (diskDescriptor, bool) {
	var d diskDescriptor
	fh, err := os.Open(file)
	if err != nil {
		return d, false
	}
	defer fh.Close()
	found := false
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		fields := strings.Fields(line)
		if len(fields) >= 2 && fields[0] == "RW" {
			if n, err := strconv.ParseInt(fields[1], 10, 64); err == nil {
				d.sectors, found = n, true
			}
		}
		if k, v, ok := strings.Cut(line, "="); ok {
			v = strings.Trim(strings.TrimSpace(v), "\"")
			switch strings.TrimSpace(k) {
			case "ddb.adapterType":
				d.adapter = v
			case "ddb.hvdsim.diskType":
				d.diskType = v
			}
		}
	}
	return d, found
}

func systemFault(err error) *types.LocalizedMethodFault {
	return &types.LocalizedMethodFault{Fault: &types.SystemError{Reason: err.Error()}, LocalizedMessage: err.Error()}
}

func (f *front) createVirtualDisk(c *soapCall) {
	_, body, ok := f.decode(c)
	if !ok {
		return
	}
	req := body.(*types.CreateVirtualDisk_Task)
	orig, raw := c.r.Clone(c.r.Context()), c.body
	f.tasks.startWith(f, c, f.delayOrNow(c.method), func() (types.AnyType, *types.LocalizedMethodFault) {
		if fault := inaccessibleSearch(raw); fault != nil {
			return nil, fault
		}
		res, fault := f.runInVcsim(orig, raw)
		if fault != nil {
			return res, fault
		}
		spec, isFile := req.Spec.(*types.FileBackedVirtualDiskSpec)
		if !isFile {
			return res, nil
		}
		file, err := localPath(req.Name)
		if err != nil {
			return nil, systemFault(err)
		}
		d := diskDescriptor{sectors: spec.CapacityKb * 2, adapter: spec.AdapterType, diskType: spec.DiskType}
		if err := writeDescriptor(file, d); err != nil {
			return nil, systemFault(err)
		}
		if spec.DiskType != "thin" {
			if err := os.Truncate(flatName(file), spec.CapacityKb*1024); err != nil {
				return nil, systemFault(err)
			}
		}
		return res, nil
	})
}

func (f *front) zeroFillVirtualDisk(c *soapCall) {
	_, body, ok := f.decode(c)
	if !ok {
		return
	}
	req := body.(*types.ZeroFillVirtualDisk_Task)
	f.tasks.startWith(f, c, f.delayOrNow(c.method), func() (types.AnyType, *types.LocalizedMethodFault) {
		file, err := localPath(req.Name)
		if err != nil {
			return nil, systemFault(err)
		}
		d, found := readDescriptor(file)
		if !found {
			return nil, &types.LocalizedMethodFault{
				Fault:            &types.FileNotFound{FileFault: types.FileFault{File: req.Name}},
				LocalizedMessage: fmt.Sprintf("File %s was not found", req.Name)}
		}
		flat := flatName(file)
		if err := os.Truncate(flat, 0); err != nil {
			return nil, systemFault(err)
		}
		if err := os.Truncate(flat, d.sectors*512); err != nil {
			return nil, systemFault(err)
		}
		d.diskType = "eagerZeroedThick"
		if err := writeDescriptor(file, d); err != nil {
			return nil, systemFault(err)
		}
		return nil, nil
	})
}

var controllerOf = map[string]string{
	"lsiLogic": "VirtualLsiLogicController",
	"busLogic": "VirtualBusLogicController",
	"ide":      "VirtualIDEController",
}

func addDiskDetails(r *types.HostDatastoreBrowserSearchResults) {
	dir, err := localPath(r.FolderPath)
	if err != nil {
		return
	}
	for _, fi := range r.File {
		disk, ok := fi.(*types.VmDiskFileInfo)
		if !ok {
			continue
		}
		file := path.Join(dir, disk.Path)
		d, found := readDescriptor(file)
		if !found {
			continue
		}
		disk.CapacityKb = d.sectors / 2
		disk.DiskType = "VirtualDiskFlatVer2BackingInfo"
		disk.Thin = types.NewBool(d.diskType == "thin")
		disk.ControllerType = controllerOf[d.adapter]
		if st, err := os.Stat(flatName(file)); err == nil {
			disk.FileSize = st.Size()
		}
	}
}

func (f *front) searchWithDiskDetails(c *soapCall) {
	orig, raw := c.r.Clone(c.r.Context()), c.body
	f.tasks.startWith(f, c, f.delayOrNow(c.method), func() (types.AnyType, *types.LocalizedMethodFault) {
		if fault := inaccessibleSearch(raw); fault != nil {
			return nil, fault
		}
		res, fault := f.runInVcsim(orig, raw)
		if fault != nil {
			return res, fault
		}
		switch r := res.(type) {
		case types.ArrayOfHostDatastoreBrowserSearchResults:
			for i := range r.HostDatastoreBrowserSearchResults {
				addDiskDetails(&r.HostDatastoreBrowserSearchResults[i])
			}
			return r, nil
		case types.HostDatastoreBrowserSearchResults:
			addDiskDetails(&r)
			return r, nil
		}
		return res, nil
	})
}
