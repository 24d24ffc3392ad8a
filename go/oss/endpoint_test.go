package oss

import (
	"errors"
	"testing"
)

func TestParseEndpointFollowsOss2sRule(t *testing.T) {
	for _, c := range []struct{ raw, url, region string }{
		{"oss-cn-hangzhou.aliyuncs.com", "http://oss-cn-hangzhou.aliyuncs.com", "cn-hangzhou"},
		{" https://oss-cn-beijing-internal.aliyuncs.com/ ", "https://oss-cn-beijing-internal.aliyuncs.com", "cn-beijing"},
		{"HTTP://bkt.oss-eu-west-1.aliyuncs.com:80", "http://bkt.oss-eu-west-1.aliyuncs.com:80", "eu-west-1"},
		{"oss-cn-hangzhou.example.com", "http://oss-cn-hangzhou.example.com", ""},
		{"cn-hangzhou.oss.aliyuncs.com", "http://cn-hangzhou.oss.aliyuncs.com", ""},
		{"https://oss-accelerate.aliyuncs.com", "https://oss-accelerate.aliyuncs.com", ""},
		{"oss-accelerate-overseas.aliyuncs.com", "http://oss-accelerate-overseas.aliyuncs.com", ""},
		{"127.0.0.1:9000", "http://127.0.0.1:9000", ""},
		{"[::1]:9000", "http://[::1]:9000", ""},
		{"[::1]", "http://[::1]", ""},
		{"my_host.local", "http://my_host.local", ""},
		{"例子.com", "http://例子.com", ""},
	} {
		e, err := ParseEndpoint(c.raw)
		if err != nil || e.URL() != c.url || e.Region != c.region {
			t.Errorf("ParseEndpoint(%q) = %+v, %v; want %s in %q", c.raw, e, err, c.url, c.region)
		}
	}
	for _, raw := range []string{"", "http://", "::1", "[example.com]", "a:b:c", "host:", "host:8x", "http://a b",
		"ftp://x", "http://host/path", "host?x=1", "host#frag", "a@b"} {
		var ce *ClientError
		if _, err := ParseEndpoint(raw); !errors.As(err, &ce) || ce.Message != "The endpoint you has specified is not valid, endpoint: "+raw {
			t.Errorf("ParseEndpoint(%q): %v", raw, err)
		}
	}
}

func TestIPAndLocalhostEndpointsArePathStyle(t *testing.T) {
	for raw, want := range map[string]bool{"127.0.0.1": true, "[::1]:80": true, "localhost:9000": true, "oss.example.com": false} {
		if e, _ := ParseEndpoint(raw); e.IPOrLocalhost != want {
			t.Errorf("%s: IPOrLocalhost %v", raw, e.IPOrLocalhost)
		}
	}
}
