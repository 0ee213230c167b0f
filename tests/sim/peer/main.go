// Command hvd-sim-peer is the govmomi client that hvd-esx's benchmark
// compares itself with: it logs in, then fetches name, config.uuid,
// runtime.powerState, config.hardware.memoryMB and config.hardware.numCPU of
// every VM through a ContainerView and RetrievePropertiesEx +
// ContinueRetrievePropertiesEx, and prints one JSON line of timings.
//
//	hvd-sim-peer URL --insecure|--ca FILE [--max-objects N]
//
// URL may carry user:password; the default is hvd-sim's user/pass.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/vmware/govmomi/session"
	"github.com/vmware/govmomi/view"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// counter counts SOAP round trips.
type counter struct {
	soap.RoundTripper
	n int64
}

func (c *counter) RoundTrip(ctx context.Context, req, res soap.HasFault) error {
	atomic.AddInt64(&c.n, 1)
	return c.RoundTripper.RoundTrip(ctx, req, res)
}

type result struct {
	ConnectMS  float64 `json:"connect_ms"`
	ListMS     float64 `json:"list_ms"`
	VMs        int     `json:"vms"`
	RoundTrips int64   `json:"round_trips"`
	// ConnectRoundTrips and ListRoundTrips split round_trips.
	ConnectRoundTrips int64 `json:"connect_round_trips"`
	ListRoundTrips    int64 `json:"list_round_trips"`
}

type config struct {
	url        *url.URL
	insecure   bool
	caFile     string
	maxObjects int32
}

func usage() error {
	return errors.New("usage: hvd-sim-peer URL --insecure|--ca FILE [--max-objects N]")
}

func parseArgs(args []string) (*config, error) {
	c := &config{maxObjects: 1000}
	for i := 0; i < len(args); i++ {
		switch a := args[i]; a {
		case "--insecure":
			c.insecure = true
		case "--ca", "--max-objects":
			if i+1 >= len(args) {
				return nil, usage()
			}
			i++
			if a == "--ca" {
				c.caFile = args[i]
				break
			}
			n, err := strconv.Atoi(args[i])
			if err != nil || n <= 0 {
				return nil, fmt.Errorf("--max-objects: %q is not a positive number", args[i])
			}
			c.maxObjects = int32(n)
		default:
			if c.url != nil || len(a) > 0 && a[0] == '-' {
				return nil, usage()
			}
			u, err := soap.ParseURL(a)
			if err != nil {
				return nil, err
			}
			c.url = u
		}
	}
	if c.url == nil || c.insecure == (c.caFile != "") {
		return nil, usage()
	}
	return c, nil
}

func connect(ctx context.Context, cfg *config, rt *counter) (*vim25.Client, error) {
	sc := soap.NewClient(cfg.url, cfg.insecure)
	if cfg.caFile != "" {
		if err := sc.SetRootCAs(cfg.caFile); err != nil {
			return nil, err
		}
	}
	rt.RoundTripper = sc
	c, err := vim25.NewClient(ctx, rt)
	if err != nil {
		return nil, err
	}
	// soap.ParseURL fills in an empty user; hvd-sim's default login is user/pass.
	user := cfg.url.User
	if user == nil || user.Username() == "" {
		user = url.UserPassword("user", "pass")
	}
	if err := session.NewManager(c).Login(ctx, user); err != nil {
		return nil, err
	}
	return c, nil
}

var vmProps = []string{"name", "config.uuid", "runtime.powerState", "config.hardware.memoryMB", "config.hardware.numCPU"}

func listVMs(ctx context.Context, c *vim25.Client, maxObjects int32) ([]mo.VirtualMachine, error) {
	v, err := view.NewManager(c).CreateContainerView(ctx, c.ServiceContent.RootFolder, []string{"VirtualMachine"}, true)
	if err != nil {
		return nil, err
	}
	defer func() { _ = v.Destroy(ctx) }()

	pc := c.ServiceContent.PropertyCollector
	req := types.RetrievePropertiesEx{
		This: pc,
		SpecSet: []types.PropertyFilterSpec{{
			ObjectSet: []types.ObjectSpec{{
				Obj:  v.Reference(),
				Skip: types.NewBool(true),
				SelectSet: []types.BaseSelectionSpec{&types.TraversalSpec{
					Type: "ContainerView",
					Path: "view",
				}},
			}},
			PropSet: []types.PropertySpec{{Type: "VirtualMachine", PathSet: vmProps}},
		}},
		Options: types.RetrieveOptions{MaxObjects: maxObjects},
	}
	res, err := methods.RetrievePropertiesEx(ctx, c, &req)
	if err != nil {
		return nil, err
	}
	var vms []mo.VirtualMachine
	for page := res.Returnval; page != nil; {
		var part []mo.VirtualMachine
		if err := mo.LoadObjectContent(page.Objects, &part); err != nil {
			return nil, err
		}
		vms = append(vms, part...)
		if page.Token == "" {
			break
		}
		next, err := methods.ContinueRetrievePropertiesEx(ctx, c,
			&types.ContinueRetrievePropertiesEx{This: pc, Token: page.Token})
		if err != nil {
			return nil, err
		}
		page = &next.Returnval
	}
	return vms, nil
}

func ms(d time.Duration) float64 {
	return float64(d.Microseconds()) / 1000
}

func run() error {
	cfg, err := parseArgs(os.Args[1:])
	if err != nil {
		return err
	}
	ctx := context.Background()
	rt := &counter{}

	start := time.Now()
	c, err := connect(ctx, cfg, rt)
	if err != nil {
		return fmt.Errorf("connecting to %s: %w", cfg.url.Redacted(), err)
	}
	var r result
	r.ConnectMS = ms(time.Since(start))
	r.ConnectRoundTrips = atomic.LoadInt64(&rt.n)

	start = time.Now()
	vms, err := listVMs(ctx, c, cfg.maxObjects)
	if err != nil {
		return fmt.Errorf("listing VMs: %w", err)
	}
	r.ListMS = ms(time.Since(start))
	r.VMs = len(vms)
	r.RoundTrips = atomic.LoadInt64(&rt.n)
	r.ListRoundTrips = r.RoundTrips - r.ConnectRoundTrips

	_ = session.NewManager(c).Logout(ctx)
	return json.NewEncoder(os.Stdout).Encode(&r)
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "hvd-sim-peer: %v\n", err)
		os.Exit(1)
	}
}
