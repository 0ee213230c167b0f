// Command hvd-sim runs the govmomi vSphere simulator (vcsim) for hvd-esx's
// tests: ESX or vCenter model, HTTP or HTTPS with a freshly generated CA,
// plus the methods real ESX has and vcsim 0.24.2 lacks (see front.go), a
// JSON control endpoint under /hvd-sim/ and HTTP CONNECT and SOCKS5 proxies.
//
// It prints one JSON line describing itself on stdout, then runs until stdin
// reaches EOF or it receives SIGTERM/SIGINT. Logs go to stderr.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	"github.com/vmware/govmomi/simulator"
)

type options struct {
	model       string
	tls         bool
	expiredCert bool
	certDir     string
	datacenters int
	folders     int
	clusters    int
	hosts       int
	vms         int
	pageSize    int
	listen      string
	tmpDir      string
	username    string
	password    string
}

// announcement is the one JSON line printed on stdout once the simulator
// is ready; the C harness (simharness.c) parses exactly these keys.
type announcement struct {
	URL        string `json:"url"`
	Host       string `json:"host"`
	Port       int    `json:"port"`
	Scheme     string `json:"scheme"`
	Username   string `json:"username"`
	Password   string `json:"password"`
	CAFile     string `json:"ca_file"`
	ControlURL string `json:"control_url"`
	HTTPProxy  string `json:"http_proxy"`
	SocksProxy string `json:"socks_proxy"`
	Model      string `json:"model"`
}

func parseFlags(args []string) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("hvd-sim", flag.ContinueOnError)
	fs.StringVar(&o.model, "model", "esx", "inventory model: esx (one host) or vc (vCenter)")
	fs.BoolVar(&o.tls, "tls", false, "serve HTTPS with a generated RSA-2048 CA and server certificate")
	fs.BoolVar(&o.expiredCert, "expired-cert", false, "with --tls: a server certificate that expired yesterday (the CA is valid)")
	fs.StringVar(&o.certDir, "cert-dir", "", "directory for ca.pem, server.pem and server-key.pem (default: a temporary directory removed at exit)")
	fs.IntVar(&o.datacenters, "datacenters", 1, "vc model: datacenters")
	fs.IntVar(&o.folders, "folders", 0, "vc model: how many of the datacenters (the last ones) sit in a folder F<n>, with their hosts in a host subfolder F<n>")
	fs.IntVar(&o.clusters, "clusters", 1, "vc model: clusters per datacenter")
	fs.IntVar(&o.hosts, "hosts", 1, "vc model: standalone hosts per datacenter")
	fs.IntVar(&o.vms, "vms", 2, "virtual machines per host (per cluster resource pool in the vc model)")
	fs.IntVar(&o.pageSize, "page-size", 0, "cap on objects per RetrievePropertiesEx page (0: only the client's maxObjects)")
	fs.StringVar(&o.listen, "listen", "127.0.0.1:0", "address to listen on")
	fs.StringVar(&o.tmpDir, "tmpdir", "", "where to create the datastores' temporary directory (default: /dev/shm if writable, else $TMPDIR)")
	fs.StringVar(&o.username, "username", "user", "user name accepted by Login")
	fs.StringVar(&o.password, "password", "pass", "password accepted by Login")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() != 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if o.model != "esx" && o.model != "vc" {
		return nil, fmt.Errorf("--model must be esx or vc, not %q", o.model)
	}
	for name, v := range map[string]int{"datacenters": o.datacenters, "folders": o.folders, "clusters": o.clusters,
		"hosts": o.hosts, "vms": o.vms, "page-size": o.pageSize} {
		if v < 0 {
			return nil, fmt.Errorf("--%s must not be negative", name)
		}
	}
	return o, nil
}

func newModel(o *options) *simulator.Model {
	if o.model == "esx" {
		m := simulator.ESX()
		m.Machine = o.vms
		return m
	}
	m := simulator.VPX()
	m.Datacenter = o.datacenters
	m.Folder = o.folders
	m.Cluster = o.clusters
	m.Host = o.hosts
	m.Machine = o.vms
	return m
}

func main() {
	log.SetOutput(os.Stderr)
	log.SetPrefix("hvd-sim: ")
	os.Exit(run())
}

func run() int {
	o, err := parseFlags(os.Args[1:])
	if err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		log.Print(err)
		return 2
	}

	scratch, err := makeScratchDir(o.tmpDir)
	if err != nil {
		log.Printf("creating a temporary directory: %v", err)
		return 1
	}
	defer os.RemoveAll(scratch)

	model := newModel(o)
	if err := model.Create(); err != nil {
		log.Printf("creating the %s model: %v", o.model, err)
		return 1
	}
	defer model.Remove()

	var certs *certFiles
	if o.tls {
		certs, err = newCertFiles(o.certDir, o.expiredCert)
		if err != nil {
			log.Printf("generating TLS certificates: %v", err)
			return 1
		}
		defer certs.cleanup()
		model.Service.TLS = certs.serverConfig()
	}

	model.Service.Listen = &url.URL{Host: o.listen, User: url.UserPassword(o.username, o.password)}

	stats := newStats()
	server := model.Service.NewServer()
	defer server.Close()
	front := newFront(model.Service.ServeMux, stats, o)
	front.sessions.listen = model.Service.Listen
	// NewServer has already started serving its mux; no client knows the
	// port yet, so swapping in the front handler here is safe.
	server.Config.Handler = front

	proxies, err := startProxies(stats)
	if err != nil {
		log.Printf("starting the proxies: %v", err)
		return 1
	}
	defer proxies.close()

	host, portStr, _ := net.SplitHostPort(server.URL.Host)
	port, _ := strconv.Atoi(portStr)
	a := announcement{
		URL:        (&url.URL{Scheme: server.URL.Scheme, Host: server.URL.Host, Path: server.URL.Path}).String(),
		Host:       host,
		Port:       port,
		Scheme:     server.URL.Scheme,
		Username:   o.username,
		Password:   o.password,
		ControlURL: (&url.URL{Scheme: server.URL.Scheme, Host: server.URL.Host, Path: controlPrefix}).String(),
		HTTPProxy:  proxies.httpAddr,
		SocksProxy: proxies.socksAddr,
		Model:      o.model,
	}
	if certs != nil {
		a.CAFile = certs.caFile
	}
	line, _ := json.Marshal(&a)
	if _, err := fmt.Fprintf(os.Stdout, "%s\n", line); err != nil {
		log.Printf("writing the announcement: %v", err)
		return 1
	}
	_ = os.Stdout.Sync()

	waitForShutdown()
	return 0
}

// makeScratchDir creates the directory under which vcsim and the
// certificates put their temporary files, and points $TMPDIR at it. vcsim
// writes a few files per VM: on tmpfs 10,000 VMs build in a fraction of
// the time they take on a loaded disk.
func makeScratchDir(parent string) (string, error) {
	var dir string
	var err error
	if parent == "" {
		dir, err = os.MkdirTemp("/dev/shm", "hvd-sim-")
	}
	if parent != "" || err != nil {
		dir, err = os.MkdirTemp(parent, "hvd-sim-")
	}
	if err != nil {
		return "", err
	}
	return dir, os.Setenv("TMPDIR", dir)
}

// waitForShutdown returns when stdin reaches EOF (the harness closed its
// end, or died) or on SIGTERM/SIGINT.
func waitForShutdown() {
	done := make(chan struct{}, 2)
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		done <- struct{}{}
	}()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	select {
	case <-done:
	case s := <-sig:
		log.Printf("received %v, shutting down", s)
	}
}
