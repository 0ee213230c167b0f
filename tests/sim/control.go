package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// The control endpoint: JSON over HTTP(S) under /hvd-sim/ on the simulator's
// own port. Each file registers the endpoints of its concern; the common
// ones are here. README.md documents them all.

func (f *front) registerControl() {
	f.control.HandleFunc(controlPrefix+"/stats", f.controlStats)
	f.control.HandleFunc(controlPrefix+"/stats/reset", f.controlStatsReset)
	f.control.HandleFunc(controlPrefix+"/expire-sessions", f.controlExpireSessions)
	f.control.HandleFunc(controlPrefix+"/password", f.controlPassword)
	f.control.HandleFunc(controlPrefix+"/", func(w http.ResponseWriter, r *http.Request) {
		writeJSONError(w, http.StatusNotFound, fmt.Errorf("no control endpoint %s (see tests/sim/README.md)", r.URL.Path))
	})
}

func writeJSON(w http.ResponseWriter, status int, v interface{}) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeJSONError(w http.ResponseWriter, status int, err error) {
	writeJSON(w, status, map[string]string{"error": err.Error()})
}

// readJSON decodes a POST body into v, answering 405/400 itself on failure.
func readJSON(w http.ResponseWriter, r *http.Request, v interface{}) bool {
	if r.Method != http.MethodPost {
		writeJSONError(w, http.StatusMethodNotAllowed, fmt.Errorf("%s needs POST", r.URL.Path))
		return false
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err == nil && len(body) > 0 {
		err = json.Unmarshal(body, v)
	}
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, fmt.Errorf("%s: bad JSON body: %v", r.URL.Path, err))
		return false
	}
	return true
}

func requirePost(w http.ResponseWriter, r *http.Request) bool {
	if r.Method != http.MethodPost {
		writeJSONError(w, http.StatusMethodNotAllowed, fmt.Errorf("%s needs POST", r.URL.Path))
		return false
	}
	return true
}

// GET /hvd-sim/stats
func (f *front) controlStats(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, f.stats.snapshot())
}

// POST /hvd-sim/stats/reset
func (f *front) controlStatsReset(w http.ResponseWriter, r *http.Request) {
	if !requirePost(w, r) {
		return
	}
	f.stats.reset()
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
}

// POST /hvd-sim/expire-sessions[?at=folder[&answer=302]]
func (f *front) controlExpireSessions(w http.ResponseWriter, r *http.Request) {
	if !requirePost(w, r) {
		return
	}
	if r.URL.Query().Get("at") == "folder" {
		// expire them when the next /folder transfer arrives, answered
		// 401 (ESX) or, with answer=302, redirected to a login page
		status := http.StatusUnauthorized
		if r.URL.Query().Get("answer") == "302" {
			status = http.StatusFound
		}
		f.sessions.armFolderExpiry(status)
		writeJSON(w, http.StatusOK, map[string]bool{"armed": true})
		return
	}
	n := f.sessions.expireAll()
	writeJSON(w, http.StatusOK, map[string]int{"expired": n})
}
