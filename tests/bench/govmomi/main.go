// Command hvd-bench-govmomi is the govmomi contender of tests/bench: one
// workload per process, written as a govmomi user writes it (find.Finder,
// object.*, property.Collector), so the benchmark times the whole process as
// it times hvdctl.
//
//	hvd-bench-govmomi URL --insecure|--ca FILE WORKLOAD [VM]
//
// Workloads: version, list, list-driver-props (list reading the properties
// hvd-esx reads), dominfo VM, dumpxml VM (fetches the .vmx),
// destroy-start VM (power off, then on), pool-list, vol-list DATASTORE,
// goroutines N MOREF OPS
// (N goroutines on one client, each reading the properties hvd-esx's
// get_info reads of the VM MOREF, OPS times; prints "ops_per_s X" on
// stderr, connect excluded).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/property"
	"github.com/vmware/govmomi/session"
	"github.com/vmware/govmomi/view"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

func usage() error {
	return errors.New("usage: hvd-bench-govmomi URL --insecure|--ca FILE version|list|list-driver-props|pool-list|dominfo VM|dumpxml VM|destroy-start VM|vol-list DATASTORE|goroutines N MOREF OPS")
}

func connect(ctx context.Context, raw string, insecure bool, ca string) (*vim25.Client, error) {
	u, err := soap.ParseURL(raw)
	if err != nil {
		return nil, err
	}
	sc := soap.NewClient(u, insecure)
	if ca != "" {
		if err := sc.SetRootCAs(ca); err != nil {
			return nil, err
		}
	}
	c, err := vim25.NewClient(ctx, sc)
	if err != nil {
		return nil, err
	}
	user := u.User
	if user == nil || user.Username() == "" {
		user = url.UserPassword("user", "pass")
	}
	return c, session.NewManager(c).Login(ctx, user)
}

func findVM(ctx context.Context, c *vim25.Client, name string) (*object.VirtualMachine, *find.Finder, error) {
	f := find.NewFinder(c, true)
	dc, err := f.DefaultDatacenter(ctx)
	if err != nil {
		return nil, nil, err
	}
	f.SetDatacenter(dc)
	vm, err := f.VirtualMachine(ctx, name)
	return vm, f, err
}

// vmProperties finds the VM by name and reads the given properties of it.
func vmProperties(ctx context.Context, c *vim25.Client, name string, props []string) (*mo.VirtualMachine, *find.Finder, error) {
	vm, f, err := findVM(ctx, c, name)
	if err != nil {
		return nil, nil, err
	}
	var o mo.VirtualMachine
	return &o, f, vm.Properties(ctx, vm.Reference(), props, &o)
}

// listProps are what list prints; listPropsDriver what hvd-esx reads for
// every VM of a listing (plugin/domain-resolve.c's VM_PATHS), for the
// workload that separates the cost of the properties from the client's.
var (
	listProps       = []string{"name", "runtime.powerState"}
	listPropsDriver = []string{"name", "config.uuid", "config.hardware.memoryMB", "config.hardware.numCPU",
		"config.memoryAllocation.limit", "runtime.powerState", "runtime.host", "guest.toolsRunningStatus"}
)

func list(ctx context.Context, c *vim25.Client, props []string) error {
	m := view.NewManager(c)
	v, err := m.CreateContainerView(ctx, c.ServiceContent.RootFolder, []string{"VirtualMachine"}, true)
	if err != nil {
		return err
	}
	defer func() { _ = v.Destroy(ctx) }()
	var vms []mo.VirtualMachine
	if err := v.Retrieve(ctx, []string{"VirtualMachine"}, props, &vms); err != nil {
		return err
	}
	for _, vm := range vms {
		fmt.Printf("%s\t%s\n", vm.Name, vm.Runtime.PowerState)
	}
	return nil
}

func dominfo(ctx context.Context, c *vim25.Client, name string) error {
	o, _, err := vmProperties(ctx, c, name, []string{"name", "config.uuid", "runtime.powerState",
		"config.hardware.memoryMB", "config.hardware.numCPU", "config.guestId"})
	if err != nil {
		return err
	}
	fmt.Printf("Name: %s\nUUID: %s\nState: %s\nCPU(s): %d\nMemory: %d MiB\nOS: %s\n", o.Name,
		o.Config.Uuid, o.Runtime.PowerState, o.Config.Hardware.NumCPU, o.Config.Hardware.MemoryMB, o.Config.GuestId)
	return nil
}

func dumpxml(ctx context.Context, c *vim25.Client, name string) error {
	o, f, err := vmProperties(ctx, c, name, []string{"config.files.vmPathName"})
	if err != nil {
		return err
	}
	var p object.DatastorePath
	if !p.FromString(o.Config.Files.VmPathName) {
		return fmt.Errorf("unexpected path %q", o.Config.Files.VmPathName)
	}
	ds, err := f.Datastore(ctx, p.Datastore)
	if err != nil {
		return err
	}
	r, _, err := ds.Download(ctx, p.Path, &soap.DefaultDownload)
	if err != nil {
		return err
	}
	defer r.Close()
	_, err = io.Copy(os.Stdout, r)
	return err
}

func destroyStart(ctx context.Context, c *vim25.Client, name string) error {
	vm, _, err := findVM(ctx, c, name)
	if err != nil {
		return err
	}
	for _, op := range []func(context.Context) (*object.Task, error){vm.PowerOff, vm.PowerOn} {
		t, err := op(ctx)
		if err != nil {
			return err
		}
		if err := t.Wait(ctx); err != nil {
			return err
		}
	}
	return nil
}

// goroutines reads one VM's properties from n goroutines sharing the client,
// ops times each, as hvd-bench-api's threads workload calls get_info.
func goroutines(ctx context.Context, c *vim25.Client, args []string) error {
	if len(args) != 3 {
		return usage()
	}
	n, err1 := strconv.Atoi(args[0])
	ops, err2 := strconv.Atoi(args[2])
	if err1 != nil || err2 != nil || n < 1 || n > 64 || ops < 1 || ops > 100000 {
		return errors.New("goroutines: N from 1 to 64, OPS from 1 to 100000")
	}
	ref := types.ManagedObjectReference{Type: "VirtualMachine", Value: args[1]}
	props := append(append([]string{}, listPropsDriver...), "runtime.question")
	pc := property.DefaultCollector(c)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	start := time.Now()
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < ops; j++ {
				var o mo.VirtualMachine
				if err := pc.RetrieveOne(ctx, ref, props, &o); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "ops_per_s %.1f\n", float64(n*ops)/time.Since(start).Seconds())
	return nil
}

// volList lists the files of a datastore with their sizes, as a volume
// listing does: one SearchDatastoreSubFolders task from its root.
func volList(ctx context.Context, c *vim25.Client, name string) error {
	f := find.NewFinder(c, true)
	dc, err := f.DefaultDatacenter(ctx)
	if err != nil {
		return err
	}
	f.SetDatacenter(dc)
	ds, err := f.Datastore(ctx, name)
	if err != nil {
		return err
	}
	b, err := ds.Browser(ctx)
	if err != nil {
		return err
	}
	spec := types.HostDatastoreBrowserSearchSpec{
		MatchPattern: []string{"*"},
		Details:      &types.FileQueryFlags{FileType: true, FileSize: true, Modification: true},
	}
	t, err := b.SearchDatastoreSubFolders(ctx, ds.Path(""), &spec)
	if err != nil {
		return err
	}
	info, err := t.WaitForResult(ctx, nil)
	if err != nil {
		return err
	}
	for _, r := range info.Result.(types.ArrayOfHostDatastoreBrowserSearchResults).HostDatastoreBrowserSearchResults {
		for _, fi := range r.File {
			fmt.Printf("%s%s\t%d\n", r.FolderPath, fi.GetFileInfo().Path, fi.GetFileInfo().FileSize)
		}
	}
	return nil
}

func poolList(ctx context.Context, c *vim25.Client) error {
	f := find.NewFinder(c, true)
	dc, err := f.DefaultDatacenter(ctx)
	if err != nil {
		return err
	}
	f.SetDatacenter(dc)
	dss, err := f.DatastoreList(ctx, "*")
	if err != nil {
		return err
	}
	refs := make([]types.ManagedObjectReference, 0, len(dss))
	for _, ds := range dss {
		refs = append(refs, ds.Reference())
	}
	var o []mo.Datastore
	if err := property.DefaultCollector(c).Retrieve(ctx, refs, []string{"summary"}, &o); err != nil {
		return err
	}
	for _, ds := range o {
		fmt.Printf("%s\t%v\t%d\t%d\n", ds.Summary.Name, ds.Summary.Accessible, ds.Summary.Capacity, ds.Summary.FreeSpace)
	}
	return nil
}

func run(args []string) error {
	if len(args) < 3 {
		return usage()
	}
	insecure, ca := false, ""
	rest := args[1:]
	switch rest[0] {
	case "--insecure":
		insecure, rest = true, rest[1:]
	case "--ca":
		if len(rest) < 2 {
			return usage()
		}
		ca, rest = rest[1], rest[2:]
	default:
		return usage()
	}
	if len(rest) < 1 {
		return usage()
	}
	workload, vm := rest[0], ""
	if len(rest) > 1 {
		vm = rest[1]
	}
	needsVM := map[string]bool{"dominfo": true, "dumpxml": true, "destroy-start": true, "vol-list": true}
	if workload != "goroutines" && needsVM[workload] != (vm != "" && len(rest) == 2) {
		return usage()
	}
	ctx := context.Background()
	c, err := connect(ctx, args[0], insecure, ca)
	if err != nil {
		return fmt.Errorf("connecting: %w", err)
	}
	defer func() { _ = session.NewManager(c).Logout(ctx) }()
	switch workload {
	case "version":
		fmt.Println(c.ServiceContent.About.FullName)
		return nil
	case "list":
		return list(ctx, c, listProps)
	case "list-driver-props":
		return list(ctx, c, listPropsDriver)
	case "dominfo":
		return dominfo(ctx, c, vm)
	case "dumpxml":
		return dumpxml(ctx, c, vm)
	case "destroy-start":
		return destroyStart(ctx, c, vm)
	case "pool-list":
		return poolList(ctx, c)
	case "goroutines":
		return goroutines(ctx, c, rest[1:])
	case "vol-list":
		return volList(ctx, c, vm)
	}
	return usage()
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "hvd-bench-govmomi: %v\n", err)
		os.Exit(1)
	}
}
