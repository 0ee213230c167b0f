package main

import (
	"net/http"
	"sync"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// The host's datastore browser (HostSystem.datastoreBrowser). Real ESX
// has one, "ha-host-datastorebrowser", that searches any datastore the host
// mounts, named by the path ("[ds] dir"); a vCenter has one per host.
// vcsim 0.24.2 copies that moref from its ESX template into every host but
// registers no such object (a search through it: ManagedObjectNotFound),
// and gives each datastore a browser of its own. Here each host gets its
// browser, whose datastore list follows the host's (copied before each
// call that may read or search it). POST /hvd-sim/host-browser
// {"enabled": false} unregisters them (the host property stays, as with
// plain vcsim), {"enabled": true} registers them again.

type hostBrowser struct {
	host    *simulator.HostSystem
	browser *simulator.HostDatastoreBrowser
}

type hostBrowsers struct {
	mu      sync.Mutex
	enabled bool
	all     []hostBrowser
}

func (f *front) registerHostBrowsers() {
	hb := &hostBrowsers{}
	for _, h := range allHosts() {
		b := &simulator.HostDatastoreBrowser{}
		b.Self = types.ManagedObjectReference{Type: "HostDatastoreBrowser", Value: "ha-host-datastorebrowser"}
		if f.model != "esx" {
			b.Self.Value = "datastoreBrowser-" + h.Self.Value
		}
		simulator.Map.WithLock(h, func() { h.DatastoreBrowser = b.Self })
		hb.all = append(hb.all, hostBrowser{host: h, browser: b})
	}
	hb.setEnabled(true)
	f.hostBrowsers = hb
	f.control.HandleFunc(controlPrefix+"/host-browser", hb.control)
}

func (hb *hostBrowsers) setEnabled(on bool) {
	hb.mu.Lock()
	defer hb.mu.Unlock()
	if on == hb.enabled {
		return
	}
	hb.enabled = on
	for _, x := range hb.all {
		if on {
			simulator.Map.Put(x.browser)
		} else {
			simulator.Map.Remove(x.browser.Self)
		}
	}
}

// readsBrowsers: the calls that search through a browser or may read its
// datastore list.
var readsBrowsers = map[string]bool{
	"RetrievePropertiesEx": true, "RetrieveProperties": true, "CreateFilter": true,
	"WaitForUpdatesEx": true, "WaitForUpdates": true, "CheckForUpdates": true,
	"SearchDatastore_Task": true, "SearchDatastoreSubFolders_Task": true,
}

// refresh copies each host's datastore list into its browser before a call
// that may use it (a few hosts: cheap next to any such call).
func (hb *hostBrowsers) refresh(method string) {
	if !readsBrowsers[method] {
		return
	}
	hb.mu.Lock()
	defer hb.mu.Unlock()
	if !hb.enabled {
		return
	}
	for _, x := range hb.all {
		var ds []types.ManagedObjectReference
		simulator.Map.WithLock(x.host, func() { ds = append(ds, x.host.Datastore...) })
		simulator.Map.WithLock(x.browser, func() { x.browser.Datastore = ds })
	}
}

// POST /hvd-sim/host-browser {"enabled": BOOL}
func (hb *hostBrowsers) control(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Enabled *bool `json:"enabled"`
	}
	if !readJSON(w, r, &req) {
		return
	}
	if req.Enabled != nil {
		hb.setEnabled(*req.Enabled)
	}
	hb.mu.Lock()
	on := hb.enabled
	hb.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]bool{"enabled": on})
}
