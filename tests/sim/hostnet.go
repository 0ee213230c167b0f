package main

import (
	"fmt"
	"net"
	"net/http"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// Host addresses and names. A host managed by a vCenter reports the
// vCenter's address in summary.managementServerIp (vcsim leaves it empty),
// and a vCenter finds a host by the address of its management NIC
// (SearchIndex.FindByIp looks at config.network.vnic; vcsim gives every host
// 127.0.0.1). The control endpoint sets both, so one simulator can play an
// ESX host managed by another playing its vCenter, or a vCenter that does
// not manage it; and the host's DNS name (vcsim's hosts are all
// "localhost"), so a test can tell which host a client reached.

type hostNetSpec struct {
	Host string `json:"host"`
	// ManagementServerIP: the vCenter's address; "" clears it; absent keeps it.
	ManagementServerIP *string `json:"management_server_ip"`
	// IP: the address of the host's first VMkernel NIC (vmk0); absent keeps it.
	IP *string `json:"ip"`
	// HostName: config.network.dnsConfig.hostName; absent keeps it.
	HostName *string `json:"hostname"`
	// PortGroup: a port group added to config.network (vcsim's AddPortGroup
	// changes only the HostNetworkSystem's copy); absent adds none.
	PortGroup *portGroupSpec `json:"portgroup"`
}

type portGroupSpec struct {
	Name    string `json:"name"`
	Vswitch string `json:"vswitch"`
	Vlan    int32  `json:"vlan"`
}

func (f *front) registerHostNet() {
	f.control.HandleFunc(controlPrefix+"/host", controlHostNet)
}

// POST /hvd-sim/host {"host":"NAME or moref (default: every host)",
//
//	"management_server_ip":"127.0.0.2","ip":"192.0.2.20","hostname":"esx1",
//	"portgroup":{"name":"Storage","vswitch":"vSwitch0","vlan":20}}
func controlHostNet(w http.ResponseWriter, r *http.Request) {
	var spec hostNetSpec
	if !readJSON(w, r, &spec) {
		return
	}
	if spec.IP != nil && net.ParseIP(*spec.IP) == nil {
		writeJSONError(w, http.StatusBadRequest, fmt.Errorf("ip %q is not an IP address", *spec.IP))
		return
	}
	if spec.ManagementServerIP != nil && *spec.ManagementServerIP != "" && net.ParseIP(*spec.ManagementServerIP) == nil {
		writeJSONError(w, http.StatusBadRequest,
			fmt.Errorf("management_server_ip %q is not an IP address", *spec.ManagementServerIP))
		return
	}
	hosts, err := findHosts(spec.Host)
	if err != nil {
		writeJSONError(w, http.StatusNotFound, err)
		return
	}
	type result struct {
		Host               string `json:"host"`
		ManagementServerIP string `json:"management_server_ip"`
		IP                 string `json:"ip"`
		HostName           string `json:"hostname"`
	}
	var out []result
	for _, h := range hosts {
		res := result{Host: h.Self.Value}
		simulator.Map.WithLock(h, func() {
			var changes []types.PropertyChange
			summary := h.Summary
			if spec.ManagementServerIP != nil {
				summary.ManagementServerIp = *spec.ManagementServerIP
				changes = append(changes, types.PropertyChange{Name: "summary", Val: summary})
			}
			res.ManagementServerIP = summary.ManagementServerIp
			if h.Config != nil && h.Config.Network != nil {
				network := *h.Config.Network
				dns := types.HostDnsConfig{}
				if network.DnsConfig != nil {
					dns = *network.DnsConfig.GetHostDnsConfig()
				}
				if spec.HostName != nil {
					dns.HostName = *spec.HostName
					network.DnsConfig = &dns
				}
				res.HostName = dns.HostName
				vnics := append([]types.HostVirtualNic(nil), network.Vnic...)
				if spec.IP != nil && len(vnics) > 0 {
					ip := types.HostIpConfig{}
					if vnics[0].Spec.Ip != nil {
						ip = *vnics[0].Spec.Ip
					}
					ip.IpAddress = *spec.IP
					vnics[0].Spec.Ip = &ip
					network.Vnic = vnics
				}
				if pg := spec.PortGroup; pg != nil {
					key := "key-vim.host.PortGroup-" + pg.Name
					network.Portgroup = append(append([]types.HostPortGroup(nil), network.Portgroup...),
						types.HostPortGroup{Key: key, Vswitch: "key-vim.host.VirtualSwitch-" + pg.Vswitch,
							Spec: types.HostPortGroupSpec{Name: pg.Name, VlanId: pg.Vlan, VswitchName: pg.Vswitch}})
					switches := append([]types.HostVirtualSwitch(nil), network.Vswitch...)
					for i := range switches {
						if switches[i].Name == pg.Vswitch {
							switches[i].Portgroup = append(append([]string(nil), switches[i].Portgroup...), key)
						}
					}
					network.Vswitch = switches
				}
				if spec.HostName != nil || spec.IP != nil || spec.PortGroup != nil {
					changes = append(changes, types.PropertyChange{Name: "config.network", Val: &network})
				}
				if len(vnics) > 0 && vnics[0].Spec.Ip != nil {
					res.IP = vnics[0].Spec.Ip.IpAddress
				}
			}
			if len(changes) > 0 {
				simulator.Map.Update(h, changes)
			}
		})
		out = append(out, res)
	}
	writeJSON(w, http.StatusOK, map[string]interface{}{"hosts": out})
}
