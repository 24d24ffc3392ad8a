// Package signer computes Alibaba Cloud OSS request signatures (V1 "OSS ak:sig", V2
// "OSS2 AccessKeyId:...", V4 "OSS4-HMAC-SHA256"), in headers and in presigned URLs, as pure
// functions of the request, the keys and the time, and parses what requests declare.
//
// The rules follow the Python oss2 client byte for byte, because the same code serves
// two sides: the Go client signs with it, and the test server verifies incoming
// requests by recomputing the signature. Any drift from oss2 (a sub-resource missing
// from the V1 whitelist, a different encoding in the V4 canonical request) would make
// one side reject what the other accepts, so test vectors produced by oss2 pin it.
package signer

// Credentials are the keys a request is signed with. SecurityToken is set for STS
// temporary credentials and travels in the x-oss-security-token header.
type Credentials struct {
	AccessKeyID     string
	AccessKeySecret string
	SecurityToken   string
}

const (
	headerSecurityToken = "X-Oss-Security-Token"
	headerOSSDate       = "X-Oss-Date"
	headerContentSHA256 = "X-Oss-Content-Sha256"
	headerAuthorization = "Authorization"
	unsignedPayload     = "UNSIGNED-PAYLOAD"
	ossHeaderPrefix     = "x-oss-"
)
