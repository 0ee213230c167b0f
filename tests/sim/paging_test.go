package main

import "testing"

func TestMaxObjectsOf(t *testing.T) {
	cases := []struct {
		body string
		n    int32
		ok   bool
	}{
		{`<RetrievePropertiesEx><specSet/><options><maxObjects>1000</maxObjects></options></RetrievePropertiesEx>`, 1000, true},
		{`<v:RetrievePropertiesEx><v:options><v:maxObjects> 7 </v:maxObjects></v:options></v:RetrievePropertiesEx>`, 7, true},
		{`<RetrievePropertiesEx><specSet/><options/></RetrievePropertiesEx>`, 0, true},
		{`<RetrievePropertiesEx><options><maxObjects>many</maxObjects></options></RetrievePropertiesEx>`, 0, false},
		{`<RetrievePropertiesEx><pathSet>maxObjects></pathSet><options><maxObjects>5</maxObjects></options></RetrievePropertiesEx>`, 0, false},
	}
	for _, c := range cases {
		n, ok := maxObjectsOf([]byte(c.body))
		if n != c.n || ok != c.ok {
			t.Errorf("maxObjectsOf(%s) = %d, %v; want %d, %v", c.body, n, ok, c.n, c.ok)
		}
	}
}
