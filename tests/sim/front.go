package main

import (
	"bytes"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// controlPrefix is where the test-control endpoint lives (control.go).
const controlPrefix = "/hvd-sim"

// maxRequestBody bounds what the front handler reads of a SOAP request.
const maxRequestBody = 64 << 20

// soapCall is one SOAP request seen by the front handler.
type soapCall struct {
	w      http.ResponseWriter
	r      *http.Request
	body   []byte
	method string
	// session is the client's session cookie when it names a live
	// session, "" otherwise.
	session string
}

// soapHandler answers one SOAP method instead of vcsim.
type soapHandler func(c *soapCall)

// front sits in front of vcsim's HTTP mux. It answers the SOAP methods real
// ESX has and vcsim 0.24.2 lacks (vcsim dispatches by reflection on its own
// types, which cannot be given new methods from outside its package), serves
// the control endpoint, counts calls, and passes everything else to vcsim.
type front struct {
	model     string // "esx" or "vc"
	next      http.Handler
	stats     *stats
	sessions  *sessions
	tasks     *taskRunner
	questions *questions
	faults    faults
	control   *http.ServeMux
	methods   map[string]soapHandler
	// hostBrowsers: HostSystem.datastoreBrowser (hostbrowser.go)
	hostBrowsers *hostBrowsers
	// creds: held for reading while vcsim answers a Login (it reads the
	// credentials then), for writing while POST /hvd-sim/password changes them
	creds sync.RWMutex
}

func newFront(next http.Handler, st *stats, o *options) *front {
	f := &front{
		model:    o.model,
		next:     next,
		stats:    st,
		sessions: newSessions(),
		control:  http.NewServeMux(),
		methods:  make(map[string]soapHandler),
	}
	f.registerControl()
	f.registerFaults()
	f.registerPaging(o.pageSize)
	f.registerTasks()
	f.registerQuestions()
	f.registerAutostart()
	f.registerGuest()
	f.registerMigrate()
	f.registerISCSI()
	f.registerHostNet()
	f.registerVSwitch()
	f.registerVMState()
	f.registerRegisterVM()
	f.registerVMXWriter()
	f.registerDatastores()
	f.registerVirtualDisks()
	f.registerHostBrowsers()
	return f
}

func (f *front) handle(method string, h soapHandler) {
	f.methods[method] = h
}

func isSDKPath(p string) bool {
	return p == "/sdk" || p == "/sdk/vimService"
}

func (f *front) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == controlPrefix || strings.HasPrefix(r.URL.Path, controlPrefix+"/") {
		f.control.ServeHTTP(w, r)
		return
	}
	if strings.HasPrefix(r.URL.Path, "/folder") && f.sessions.folderExpired(r) {
		// ESX reads the request, then refuses it: the client learns of
		// the expiry only once it has sent its bytes
		_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, maxRequestBody))
		status := f.sessions.expiredAnswer()
		f.stats.countCall(fmt.Sprintf("folder-%d", status))
		if status == http.StatusFound {
			w.Header().Set("Location", "/ui/login")
		}
		w.WriteHeader(status)
		return
	}
	if r.Method != http.MethodPost || !isSDKPath(r.URL.Path) {
		f.next.ServeHTTP(w, r)
		return
	}

	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody))
	_ = r.Body.Close()
	if err != nil {
		log.Printf("reading a SOAP request: %v", err)
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	c := &soapCall{w: w, r: r, body: body, method: sniffMethod(body)}
	f.stats.countCall(c.method)
	c.session = f.sessions.check(r)
	if f.inject(c) {
		return
	}
	f.hostBrowsers.refresh(c.method)
	if c.method == "Login" {
		f.creds.RLock()
		defer f.creds.RUnlock()
	}
	f.dispatch(c)
}

// dispatch answers a SOAP call: the front's own methods, delayed tasks,
// armed questions, or vcsim.
func (f *front) dispatch(c *soapCall) {
	if h := f.methods[c.method]; h != nil {
		h(c)
		return
	}
	if d, ok := f.tasks.delayFor(c.method); ok {
		f.tasks.start(f, c, d)
		return
	}
	if f.questions.armedFor(c.method) {
		// A question can only block a task that vcsim does not finish at once.
		f.tasks.start(f, c, delaySpec{Method: c.method, MS: 100, Steps: 1})
		return
	}
	f.pass(c)
}

// pass hands a request to vcsim unchanged and notes sessions it creates or ends.
func (f *front) pass(c *soapCall) {
	f.passTo(c, c.w)
}

// passTo hands a request to vcsim with its response going to w.
func (f *front) passTo(c *soapCall, w http.ResponseWriter) {
	c.r.Body = io.NopCloser(bytes.NewReader(c.body))
	c.r.ContentLength = int64(len(c.body))
	f.next.ServeHTTP(w, c.r)
	f.sessions.observe(c.method, c.r, w.Header())
}

// invoke runs a SOAP request through vcsim in process, with the cookies of
// the original request, and returns the recorded response.
func (f *front) invoke(orig *http.Request, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/sdk", bytes.NewReader(body))
	req.RemoteAddr = orig.RemoteAddr
	req.Header.Set("User-Agent", orig.UserAgent())
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	for _, v := range orig.Header.Values("Cookie") {
		req.Header.Add("Cookie", v)
	}
	rec := httptest.NewRecorder()
	f.next.ServeHTTP(rec, req)
	return rec
}

// requireSession answers NotAuthenticated, as ESX does, when the call has
// no live session, and reports whether the call may proceed.
func (f *front) requireSession(c *soapCall, this types.ManagedObjectReference) bool {
	if c.session != "" {
		return true
	}
	writeFault(c.w, "", &types.NotAuthenticated{
		NoPermission: types.NoPermission{Object: this, PrivilegeId: "System.View"},
	})
	return false
}

// decode decodes the call's body, answering an InvalidRequest fault on failure.
func (f *front) decode(c *soapCall) (types.ManagedObjectReference, interface{}, bool) {
	m, err := decodeRequest(c.body)
	if err != nil {
		writeFault(c.w, err.Error(), &types.InvalidRequest{})
		return types.ManagedObjectReference{}, nil, false
	}
	return m.This, m.Body, true
}

// writeNotFound answers ManagedObjectNotFound for ref, as vcsim does.
func writeNotFound(w http.ResponseWriter, ref types.ManagedObjectReference) {
	writeFault(w, fmt.Sprintf("managed object not found: %s", ref), &types.ManagedObjectNotFound{Obj: ref})
}

// vmCall decodes a call on a VirtualMachine made with a live session; it
// answers the fault itself (and returns ok false) otherwise.
func (f *front) vmCall(c *soapCall) (vm *simulator.VirtualMachine, body interface{}, ok bool) {
	this, body, ok := f.decode(c)
	if !ok || !f.requireSession(c, this) {
		return nil, nil, false
	}
	vm, ok = simulator.Map.Get(this).(*simulator.VirtualMachine)
	if !ok {
		writeNotFound(c.w, this)
	}
	return vm, body, ok
}
