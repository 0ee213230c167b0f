package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"time"

	"github.com/vmware/govmomi/vim25/types"
)

// Fault injection, on command from a test: POST /hvd-sim/faults with
// {"method": "CurrentTime", "kind": KIND, "count": 1, "stall_ms": 0, "after": 0}
// arms KIND for the next COUNT calls of METHOD ("" for any SOAP call), once
// AFTER such calls have gone through untouched. Kinds:
//
//	drop-before  close the connection without answering; vcsim never sees the call
//	drop-after   run the call (through the front for a method it answers), then close without answering
//	stall        send nothing for stall_ms (default: until the client gives up), then answer
//	500, 503     answer that status with an HTML body, not SOAP (503 with Retry-After)
//	truncate     run the call, send the headers and half of the body, close
//	fault        answer a valid SOAP fault (SystemError "injected fault")
//	expire-sessions  every session ends (as POST /hvd-sim/expire-sessions), then
//	             the call is served as usual, so it sees its session gone: e.g.
//	             between two pages of a listing
//
// GET /hvd-sim/faults lists what is still armed.
type faultSpec struct {
	Method  string `json:"method"`
	Kind    string `json:"kind"`
	Count   int    `json:"count"`
	StallMS int    `json:"stall_ms"`
	After   int    `json:"after"`
}

type faults struct {
	mu    sync.Mutex
	armed []*faultSpec
}

var faultKinds = map[string]bool{"drop-before": true, "drop-after": true, "stall": true, "500": true, "503": true,
	"truncate": true, "fault": true, "expire-sessions": true}

func (f *front) registerFaults() {
	f.control.HandleFunc(controlPrefix+"/faults", f.controlFaults)
}

// POST /hvd-sim/faults, GET /hvd-sim/faults
func (f *front) controlFaults(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet {
		f.faults.mu.Lock()
		defer f.faults.mu.Unlock()
		writeJSON(w, http.StatusOK, f.faults.armed)
		return
	}
	var spec faultSpec
	if !readJSON(w, r, &spec) {
		return
	}
	if !faultKinds[spec.Kind] {
		writeJSONError(w, http.StatusBadRequest, fmt.Errorf("unknown fault kind %q (see faults.go)", spec.Kind))
		return
	}
	if spec.Count <= 0 {
		spec.Count = 1
	}
	if spec.After < 0 {
		writeJSONError(w, http.StatusBadRequest, fmt.Errorf("after must be 0 or more, not %d", spec.After))
		return
	}
	f.faults.mu.Lock()
	f.faults.armed = append(f.faults.armed, &spec)
	f.faults.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
}

// take returns the fault armed for METHOD, if any, and counts it used.
func (fs *faults) take(method string) *faultSpec {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for i, s := range fs.armed {
		if s.Method == "" || s.Method == method {
			if s.After > 0 {
				s.After--
				continue
			}
			s.Count--
			if s.Count == 0 {
				fs.armed = append(fs.armed[:i], fs.armed[i+1:]...)
			}
			copy := *s
			return &copy
		}
	}
	return nil
}

// closeConn drops the client's connection without a response.
func closeConn(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// inject applies an armed fault to the call; false when none is armed or
// the fault leaves the call to be served as usual.
func (f *front) inject(c *soapCall) bool {
	spec := f.faults.take(c.method)
	if spec == nil {
		return false
	}
	switch spec.Kind {
	case "expire-sessions":
		f.sessions.expireAll()
		c.session = f.sessions.check(c.r)
		return false
	case "drop-before":
		closeConn(c.w)
	case "drop-after":
		// served as usual (the front's own methods included), the answer
		// thrown away: the call took effect and the client never hears so
		rec := httptest.NewRecorder()
		served := *c
		served.w = rec
		f.dispatch(&served)
		closeConn(c.w)
	case "stall":
		d := 10 * time.Minute
		if spec.StallMS > 0 {
			d = time.Duration(spec.StallMS) * time.Millisecond
		}
		select {
		case <-c.r.Context().Done():
			return true
		case <-time.After(d):
		}
		f.pass(c)
	case "500", "503":
		status, _ := strconv.Atoi(spec.Kind)
		if status == 503 {
			c.w.Header().Set("Retry-After", "5")
		}
		c.w.Header().Set("Content-Type", "text/html")
		c.w.WriteHeader(status)
		_, _ = fmt.Fprintf(c.w, "<html><body><h1>%d %s</h1></body></html>", status, http.StatusText(status))
	case "truncate":
		rec := httptest.NewRecorder()
		f.passTo(c, rec)
		body := rec.Body.Bytes()
		for k, v := range rec.Header() {
			c.w.Header()[k] = v
		}
		c.w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		c.w.WriteHeader(rec.Code)
		_, _ = c.w.Write(body[:len(body)/2])
		if fl, ok := c.w.(http.Flusher); ok {
			fl.Flush()
		}
		closeConn(c.w)
	case "fault":
		writeFault(c.w, "injected fault", &types.SystemError{Reason: "injected by the test"})
	}
	return true
}
