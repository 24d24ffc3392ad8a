package oss

// RegionInfo is one region's endpoints.
type RegionInfo struct {
	Region             *string `xml:"Region" json:"region"`
	InternetEndpoint   *string `xml:"InternetEndpoint" json:"internet_endpoint"`
	InternalEndpoint   *string `xml:"InternalEndpoint" json:"internal_endpoint"`
	AccelerateEndpoint *string `xml:"AccelerateEndpoint" json:"accelerate_endpoint"`
}

// RegionInfoList is DescribeRegions' answer (kind "describe_regions").
type RegionInfoList struct {
	Regions []RegionInfo `xml:"RegionInfo" json:"regions"`
}
