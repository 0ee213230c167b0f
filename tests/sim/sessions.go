package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/vmware/govmomi/vim25/soap"
)

// sessions follows the session cookies vcsim hands out so that the control
// endpoint can expire them all at once, as when ESX restarts or its idle
// timeout passes. vcsim keeps its own session table (unexported); an expired
// cookie is simply stripped before the request reaches vcsim, which then
// behaves exactly as for a client that never logged in.
type sessions struct {
	mu   sync.Mutex
	live map[string]bool
	dead map[string]bool
	// expireAtFolder: expire every session when the next /folder request
	// arrives, i.e. between a client's SOAP calls and its transfer.
	expireAtFolder bool
	// folderAnswer: how a /folder request with an expired session is
	// answered: 401 as ESX, or 302 to a login page as a vCenter may.
	folderAnswer int
	// listen is vcsim's Service.Listen, whose User is what its Login
	// accepts (set by main.go).
	listen *url.URL
}

func newSessions() *sessions {
	return &sessions{live: make(map[string]bool), dead: make(map[string]bool)}
}

// check returns the request's session cookie if it is live; an expired one
// is removed from the request.
func (s *sessions) check(r *http.Request) string {
	c, err := r.Cookie(soap.SessionCookieName)
	if err != nil {
		return ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.live[c.Value] {
		return c.Value
	}
	if s.dead[c.Value] {
		stripCookie(r, soap.SessionCookieName)
	}
	return ""
}

func stripCookie(r *http.Request, name string) {
	var keep []string
	for _, c := range r.Cookies() {
		if c.Name != name {
			keep = append(keep, c.String())
		}
	}
	r.Header.Del("Cookie")
	if len(keep) > 0 {
		r.Header.Set("Cookie", strings.Join(keep, "; "))
	}
}

// observe records the sessions created (Set-Cookie) or ended (Logout) by a
// request vcsim answered.
func (s *sessions) observe(method string, r *http.Request, h http.Header) {
	resp := http.Response{Header: h}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range resp.Cookies() {
		if c.Name == soap.SessionCookieName {
			s.live[c.Value] = true
		}
	}
	if method == "Logout" {
		if c, err := r.Cookie(soap.SessionCookieName); err == nil {
			delete(s.live, c.Value)
		}
	}
}

// expireAll invalidates every session and returns how many there were.
func (s *sessions) expireAll() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.live)
	for k := range s.live {
		s.dead[k] = true
	}
	s.live = make(map[string]bool)
	return n
}

// armFolderExpiry makes the next /folder request expire every session
// first; such requests are then answered with status (401 or 302).
func (s *sessions) armFolderExpiry(status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expireAtFolder = true
	s.folderAnswer = status
}

// expiredAnswer is the status for a /folder request with an expired session.
func (s *sessions) expiredAnswer() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.folderAnswer == 0 {
		return http.StatusUnauthorized
	}
	return s.folderAnswer
}

// folderExpired reports whether a /folder request carries an expired
// session cookie (real ESX answers it 401), expiring all sessions first when
// armed to. A request without a cookie passes, as vcsim lets it.
func (s *sessions) folderExpired(r *http.Request) bool {
	s.mu.Lock()
	armed := s.expireAtFolder
	s.expireAtFolder = false
	s.mu.Unlock()
	if armed {
		s.expireAll()
	}
	c, err := r.Cookie(soap.SessionCookieName)
	if err != nil {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dead[c.Value]
}

// POST /hvd-sim/password {"password": "new"}: from now on Login accepts
// the new password only (the user name stays); sessions already open stay
// open, as when an administrator changes a password on ESX. vcsim reads
// the accepted credentials unlocked at each Login: tests change them
// between calls, not during one.
func (f *front) controlPassword(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Password string `json:"password"`
	}
	if !readJSON(w, r, &req) {
		return
	}
	if req.Password == "" {
		writeJSONError(w, http.StatusBadRequest, fmt.Errorf("password: give a non-empty new password"))
		return
	}
	s := f.sessions
	f.creds.Lock() // no Login is being answered meanwhile: vcsim reads it unlocked
	defer f.creds.Unlock()
	if s.listen == nil || s.listen.User == nil {
		writeJSONError(w, http.StatusConflict, fmt.Errorf("password: the simulator accepts any credentials"))
		return
	}
	s.mu.Lock()
	s.listen.User = url.UserPassword(s.listen.User.Username(), req.Password)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
}
