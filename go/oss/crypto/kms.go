package crypto

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// KMS wraps data keys with Alibaba Cloud KMS as oss2's AliKMSProvider does: GenerateDataKey
// gives the data key and its CiphertextBlob, Encrypt wraps the base64 of the IV, Decrypt
// unwraps either; every call carries the provider's EncryptionContext. Calls are RPC-style
// requests (version 2016-01-20) signed with HMAC-SHA1.
type KMS struct {
	AccessKeyID, AccessKeySecret, SecurityToken string
	Region, CMKID                               string
	// Context is the EncryptionContext, oss2's `{"x-passphrase":"..."}` or "".
	Context string
	// Endpoint is a host or URL; "" is the region's public endpoint over HTTPS.
	Endpoint string
}

// kmsTimeout bounds one KMS call: aliyunsdkcore's defaults (oss2's KMS client) are 5 s to
// connect and 10 s to read.
const kmsTimeout = 15 * time.Second

// KMSError is an error answer of KMS: oss2's OpenApiServerError.
type KMSError struct {
	Status                   int
	RequestID, Code, Message string
}

func (e *KMSError) Error() string {
	return fmt.Sprintf("KMS %d %s: %s (request id %s)", e.Status, e.Code, e.Message, e.RequestID)
}

// KMSFormatError is an answer that is not KMS's JSON: oss2's OpenApiFormatError.
type KMSFormatError struct{ Err error }

func (e *KMSFormatError) Error() string { return "Json Error: " + e.Err.Error() }

func (k *KMS) endpoint() string {
	switch {
	case k.Endpoint == "":
		return "https://kms." + k.Region + ".aliyuncs.com/"
	case strings.Contains(k.Endpoint, "://"):
		return strings.TrimSuffix(k.Endpoint, "/") + "/"
	default:
		return "https://" + k.Endpoint + "/"
	}
}

// GenerateDataKey returns a new AES-256 data key and its CiphertextBlob.
func (k *KMS) GenerateDataKey(ctx context.Context) (plain []byte, blob string, err error) {
	out, err := k.call(ctx, "GenerateDataKey", map[string]string{
		"KeyId": k.CMKID, "KeySpec": "AES_256", "NumberOfBytes": "32"})
	if err != nil {
		return nil, "", err
	}
	plain, err = base64.StdEncoding.DecodeString(out["Plaintext"])
	if err != nil {
		return nil, "", &KMSFormatError{fmt.Errorf("Plaintext: %v", err)}
	}
	return plain, out["CiphertextBlob"], nil
}

// Encrypt wraps plaintext (text: oss2 sends the base64 of the IV) and returns the CiphertextBlob.
func (k *KMS) Encrypt(ctx context.Context, plaintext string) (string, error) {
	out, err := k.call(ctx, "Encrypt", map[string]string{"KeyId": k.CMKID, "Plaintext": plaintext})
	if err != nil {
		return "", err
	}
	return out["CiphertextBlob"], nil
}

// Decrypt unwraps a CiphertextBlob and returns its Plaintext, base64 of the key or IV.
func (k *KMS) Decrypt(ctx context.Context, blob string) ([]byte, error) {
	out, err := k.call(ctx, "Decrypt", map[string]string{"CiphertextBlob": blob})
	if err != nil {
		return nil, err
	}
	plain, err := base64.StdEncoding.DecodeString(out["Plaintext"])
	if err != nil {
		return nil, &KMSFormatError{fmt.Errorf("Plaintext: %v", err)}
	}
	return plain, nil
}

// call sends one signed RPC request and returns the answer's string fields.
func (k *KMS) call(ctx context.Context, action string, params map[string]string) (map[string]string, error) {
	nonce := make([]byte, 16)
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	q := map[string]string{
		"Action": action, "Version": "2016-01-20", "Format": "JSON", "AccessKeyId": k.AccessKeyID,
		"SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0", "SignatureNonce": hex.EncodeToString(nonce),
		"Timestamp": time.Now().UTC().Format("2006-01-02T15:04:05Z"), "EncryptionContext": k.Context,
	}
	if k.SecurityToken != "" {
		// oss2 sends STSToken; the RPC protocol's own name for it is SecurityToken.
		q["STSToken"] = k.SecurityToken
		q["SecurityToken"] = k.SecurityToken
	}
	for n, v := range params {
		q[n] = v
	}
	q["Signature"] = SignRPC(http.MethodPost, q, k.AccessKeySecret)
	form := url.Values{}
	for n, v := range q {
		form.Set(n, v)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, k.endpoint(), strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := (&http.Client{Timeout: kmsTimeout}).Do(req)
	if err != nil {
		return nil, fmt.Errorf("KMS %s: %w", action, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("KMS %s: %w", action, err)
	}
	var out map[string]any
	if err := json.Unmarshal(body, &out); err != nil {
		return nil, &KMSFormatError{err}
	}
	str := func(n string) string { s, _ := out[n].(string); return s }
	if resp.StatusCode >= 300 {
		return nil, &KMSError{Status: resp.StatusCode, RequestID: str("RequestId"), Code: str("Code"), Message: str("Message")}
	}
	fields := map[string]string{}
	for n := range out {
		fields[n] = str(n)
	}
	for _, n := range map[string][]string{"GenerateDataKey": {"Plaintext", "CiphertextBlob"},
		"Encrypt": {"CiphertextBlob"}, "Decrypt": {"Plaintext"}}[action] {
		if _, ok := out[n].(string); !ok {
			return nil, &KMSFormatError{fmt.Errorf("%q", n)} // oss2's KeyError text
		}
	}
	return fields, nil
}

// SignRPC is the Signature of an RPC-style request: HMAC-SHA1 with secret+"&" over
// METHOD&%2F&enc(k1=v1&k2=v2...), parameters sorted, each name and value percent-encoded
// (RFC 3986: space %20, * %2A, ~ kept).
func SignRPC(method string, params map[string]string, secret string) string {
	names := make([]string, 0, len(params))
	for n := range params {
		if n != "Signature" {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	pairs := make([]string, len(names))
	for i, n := range names {
		pairs[i] = percent(n) + "=" + percent(params[n])
	}
	toSign := method + "&%2F&" + percent(strings.Join(pairs, "&"))
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write([]byte(toSign))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func percent(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}
