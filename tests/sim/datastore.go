package main

import (
	"fmt"
	"io/ioutil"
	"net/http"
	"os"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// Datastores for the storage tests. vcsim's models have only local
// datastores (LocalDS_0, type "OTHER"); POST adds an NFS one the way
// CreateNasDatastore does on ESX (its files in a local directory), or
// marks one inaccessible, as an unreachable NFS server leaves it; GET
// reads one back with the local directory that holds its files, so a
// test can check what an operation left on the server.

func (f *front) registerDatastores() {
	f.control.HandleFunc(controlPrefix+"/datastore", controlDatastore)
	f.handle("RefreshDatastore", f.refreshDatastore)
}

// RefreshDatastore: vcsim updates the datastore's sizes but then fails to
// encode its empty response (a nil Res); ESX answers with an empty
// RefreshDatastoreResponse. The sizes are read again here the same way
// (vcsim's own method, whose fault is kept).
func (f *front) refreshDatastore(c *soapCall) {
	this, body, ok := f.decode(c)
	if !ok || !f.requireSession(c, this) {
		return
	}
	ds, isDs := simulator.Map.Get(this).(*simulator.Datastore)
	if !isDs {
		writeNotFound(c.w, this)
		return
	}
	var res soap.HasFault
	simulator.Map.WithLock(ds, func() { res = ds.RefreshDatastore(body.(*types.RefreshDatastore)) })
	if flt := res.Fault(); flt != nil {
		vf, _ := flt.VimFault().(types.BaseMethodFault)
		if vf == nil {
			vf = &types.HostConfigFault{}
		}
		writeFault(c.w, flt.String, vf)
		return
	}
	writeResponse(c.w, &types.RefreshDatastoreResponse{})
}

type datastoreReq struct {
	Host       string `json:"host"`
	Name       string `json:"name"`
	Type       string `json:"type"`
	RemoteHost string `json:"remote_host"`
	RemotePath string `json:"remote_path"`
	Accessible *bool  `json:"accessible,omitempty"`
	Rename     string `json:"rename,omitempty"`
}

type datastoreState struct {
	Datastore  string `json:"datastore"`
	Name       string `json:"name"`
	Type       string `json:"type"`
	Dir        string `json:"dir"`
	Accessible bool   `json:"accessible"`
	Capacity   int64  `json:"capacity"`
	FreeSpace  int64  `json:"free_space"`
}

func findDatastore(name string) (*simulator.Datastore, error) {
	for _, e := range simulator.Map.All("Datastore") {
		if ds, ok := e.(*simulator.Datastore); ok && (ds.Name == name || ds.Self.Value == name) {
			return ds, nil
		}
	}
	return nil, fmt.Errorf("no datastore named or with moref %q", name)
}

func readDatastore(ds *simulator.Datastore) datastoreState {
	var s datastoreState
	simulator.Map.WithLock(ds, func() {
		s = datastoreState{Datastore: ds.Self.Value, Name: ds.Name, Type: ds.Summary.Type,
			Dir: ds.Info.GetDatastoreInfo().Url, Accessible: ds.Summary.Accessible,
			Capacity: ds.Summary.Capacity, FreeSpace: ds.Summary.FreeSpace}
	})
	return s
}

// GET /hvd-sim/datastore?name=NAME; POST /hvd-sim/datastore
// {"host":..,"name":"nfs1","type":"NFS","remote_host":..,"remote_path":..}
// creates an NFS datastore (mounted on every host, or on "host"); with the
// name of an existing datastore and "accessible", sets summary.accessible;
// with "rename", gives it that name (its moref and files stay).
func controlDatastore(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet {
		ds, err := findDatastore(r.URL.Query().Get("name"))
		if err != nil {
			writeJSONError(w, http.StatusNotFound, err)
			return
		}
		writeJSON(w, http.StatusOK, readDatastore(ds))
		return
	}
	var req datastoreReq
	if !readJSON(w, r, &req) {
		return
	}
	if ds, err := findDatastore(req.Name); err == nil {
		if req.Accessible != nil {
			changes := []types.PropertyChange{{Name: "summary.accessible", Val: *req.Accessible}}
			simulator.Map.WithLock(ds, func() { simulator.Map.Update(ds, changes) })
		}
		if req.Rename != "" {
			// as RenameDatastore does: the same datastore (moref, files)
			// under another name
			simulator.Map.WithLock(ds, func() {
				ds.Name = req.Rename
				ds.Summary.Name = req.Rename
				ds.Info.GetDatastoreInfo().Name = req.Rename
			})
		}
		writeJSON(w, http.StatusOK, readDatastore(ds))
		return
	}
	if req.Name == "" || req.RemoteHost == "" || req.RemotePath == "" {
		writeJSONError(w, http.StatusBadRequest, fmt.Errorf("a new datastore needs name, remote_host and remote_path"))
		return
	}
	if req.Type == "" {
		req.Type = "NFS"
	}
	hosts, err := findHosts(req.Host)
	if err != nil {
		writeJSONError(w, http.StatusNotFound, err)
		return
	}
	dir, err := ioutil.TempDir("", "hvd-sim-nas-")
	if err != nil {
		writeJSONError(w, http.StatusInternalServerError, err)
		return
	}
	local := dir + "/" + req.Name
	if err := os.Mkdir(local, 0o755); err != nil {
		writeJSONError(w, http.StatusInternalServerError, err)
		return
	}
	for _, h := range hosts {
		dss, ok := simulator.Map.Get(*h.ConfigManager.DatastoreSystem).(*simulator.HostDatastoreSystem)
		if !ok {
			writeJSONError(w, http.StatusInternalServerError, fmt.Errorf("host %s has no datastore system", h.Name))
			return
		}
		spec := types.HostNasVolumeSpec{RemoteHost: req.RemoteHost, RemotePath: req.RemotePath,
			LocalPath: local, AccessMode: string(types.HostMountModeReadWrite), Type: req.Type}
		res := dss.CreateNasDatastore(&simulator.Context{}, &types.CreateNasDatastore{This: dss.Self, Spec: spec})
		if f := res.Fault(); f != nil {
			writeJSONError(w, http.StatusBadRequest, fmt.Errorf("CreateNasDatastore on %s: %s", h.Name, f.String))
			return
		}
	}
	ds, err := findDatastore(req.Name)
	if err != nil {
		writeJSONError(w, http.StatusInternalServerError, err)
		return
	}
	writeJSON(w, http.StatusOK, readDatastore(ds))
}

// inaccessibleSearch: ESX fails a search of a datastore it cannot reach
// (summary.accessible false: an NFS server gone) with InaccessibleDatastore
// naming it; vcsim would read the local directory. nil for any other search.
func inaccessibleSearch(body []byte) *types.LocalizedMethodFault {
	m, err := decodeRequest(body)
	if err != nil {
		return nil
	}
	var dsPath string
	switch b := m.Body.(type) {
	case *types.SearchDatastoreSubFolders_Task:
		dsPath = b.DatastorePath
	case *types.SearchDatastore_Task:
		dsPath = b.DatastorePath
	default:
		return nil
	}
	var p object.DatastorePath
	if !p.FromString(dsPath) {
		return nil
	}
	ds, err := findDatastore(p.Datastore)
	if err != nil {
		return nil
	}
	state := readDatastore(ds)
	if state.Accessible {
		return nil
	}
	ref := ds.Self
	return &types.LocalizedMethodFault{
		Fault:            &types.InaccessibleDatastore{InvalidDatastore: types.InvalidDatastore{Datastore: &ref, Name: state.Name}},
		LocalizedMessage: fmt.Sprintf("The datastore '%s' is not accessible", state.Name)}
}
