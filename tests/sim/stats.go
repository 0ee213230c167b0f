package main

import "sync"

// stats counts SOAP calls per method and proxy connections, for
// GET /hvd-sim/stats: tests use them to check round trips and that a
// client really went through a proxy.
type stats struct {
	mu             sync.Mutex
	calls          map[string]int
	httpConns      int
	httpTunnels    int
	httpForwards   int
	socksConns     int
	socksConnected int
}

type statsSnapshot struct {
	Calls             map[string]int `json:"calls"`
	TotalCalls        int            `json:"total_calls"`
	HTTPProxyConns    int            `json:"http_proxy_connections"`
	HTTPProxyTunnels  int            `json:"http_proxy_tunnels"`
	HTTPProxyForwards int            `json:"http_proxy_requests"`
	SocksProxyConns   int            `json:"socks_proxy_connections"`
	SocksProxyTunnels int            `json:"socks_proxy_tunnels"`
}

func newStats() *stats {
	return &stats{calls: make(map[string]int)}
}

func (s *stats) countCall(method string) {
	if method == "" {
		method = "(unparsable)"
	}
	s.mu.Lock()
	s.calls[method]++
	s.mu.Unlock()
}

// add increments one of the proxy counters under the lock.
func (s *stats) add(counter *int) {
	s.mu.Lock()
	*counter++
	s.mu.Unlock()
}

func (s *stats) snapshot() statsSnapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	snap := statsSnapshot{
		Calls:             make(map[string]int, len(s.calls)),
		HTTPProxyConns:    s.httpConns,
		HTTPProxyTunnels:  s.httpTunnels,
		HTTPProxyForwards: s.httpForwards,
		SocksProxyConns:   s.socksConns,
		SocksProxyTunnels: s.socksConnected,
	}
	for k, v := range s.calls {
		snap.Calls[k] = v
		snap.TotalCalls += v
	}
	return snap
}

func (s *stats) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = make(map[string]int)
	s.httpConns, s.httpTunnels, s.httpForwards = 0, 0, 0
	s.socksConns, s.socksConnected = 0, 0
}
