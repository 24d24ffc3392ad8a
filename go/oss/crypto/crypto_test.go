package crypto

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The vector is pycryptodome's AES.new(key, MODE_CTR, counter=Counter.new(128, initial_value=iv)),
// oss2's cipher, with an IV whose low 64 bits carry into the high ones within the data.
func TestXORAtMatchesOss2sCounterAtEveryOffset(t *testing.T) {
	key := make([]byte, 32)
	for i := range key {
		key[i] = byte(i)
	}
	iv, _ := hex.DecodeString("0000000000000001fffffffffffffffe")
	want, _ := hex.DecodeString("fadba39dfaf3b660bf5ac69f26ff176020261cc8fc61606a980618d9561cbe93994a659858b13d7fccf5d1ab2162e2a92e2c78767bdcd1bcf314d06f9c1c7ce424d296cad09749411770d1c4a061493d878c118155af3aa92c1adff5b35f4d9879d67008")
	plain := make([]byte, 100)
	for i := range plain {
		plain[i] = byte(i % 251)
	}
	c, err := NewCTR(key, iv)
	if err != nil {
		t.Fatal(err)
	}
	for from := 0; from < len(plain); from++ {
		for _, to := range []int{from, from + 1, from + 15, from + 16, from + 33, len(plain)} {
			to = min(to, len(plain))
			got := make([]byte, to-from)
			c.XORAt(got, plain[from:to], int64(from))
			if !bytes.Equal(got, want[from:to]) {
				t.Fatalf("bytes %d-%d: got %x want %x", from, to, got, want[from:to])
			}
		}
	}
}

func TestXORAtParallelEqualsSerial(t *testing.T) {
	key, iv, _ := randomKeyIV()
	c, _ := NewCTR(key, iv)
	data := make([]byte, 3*parallelChunk+123)
	rand.Read(data)
	a, b := make([]byte, len(data)), make([]byte, len(data))
	c.XORAt(a, data, 7)
	c.XORAtParallel(b, data, 7)
	if !bytes.Equal(a, b) {
		t.Fatal("parallel and serial keystreams differ")
	}
	if iv[8]|iv[9]|iv[10]|iv[11] != 0 {
		t.Fatalf("IV bytes 8-11 are %x, oss2 zeroes them", iv[8:12])
	}
}

func TestReaderAtEncryptsAtThePartsOffset(t *testing.T) {
	key, iv, _ := randomKeyIV()
	c, _ := NewCTR(key, iv)
	data := bytes.Repeat([]byte("0123456789"), 50)
	whole := make([]byte, len(data))
	c.XORAt(whole, data, 0)
	part := &ReaderAt{R: bytes.NewReader(data[160:]), C: c, Base: 160}
	got := make([]byte, 100)
	if _, err := part.ReadAt(got, 5); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, whole[165:265]) {
		t.Fatal("a part read at an offset is not the whole stream's bytes there")
	}
}

func rsaPEMs(t *testing.T) (pkcs1Pub, pkixPub, pkcs1Priv, pkcs8Priv string) {
	k, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	p8, _ := x509.MarshalPKCS8PrivateKey(k)
	pkix, _ := x509.MarshalPKIXPublicKey(&k.PublicKey)
	enc := func(typ string, der []byte) string {
		return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
	}
	return enc("RSA PUBLIC KEY", x509.MarshalPKCS1PublicKey(&k.PublicKey)), enc("PUBLIC KEY", pkix),
		enc("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(k)), enc("PRIVATE KEY", p8)
}

func TestRSAWrapsAndOpensInEveryPEMForm(t *testing.T) {
	pub1, pubX, priv1, priv8 := rsaPEMs(t)
	for _, pair := range [][2]string{{pub1, priv1}, {pubX, priv8}, {pub1, priv8}} {
		w, err := ParseRSA(pair[0], "", "")
		if err != nil {
			t.Fatal(err)
		}
		m, err := w.NewMaterial(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		r, err := ParseRSA("", pair[1], "")
		if err != nil {
			t.Fatal(err)
		}
		key, iv, err := r.Unwrap(context.Background(), m.EncryptedKey, m.EncryptedIV)
		if err != nil || !bytes.Equal(key, m.Key) || !bytes.Equal(iv, m.IV) {
			t.Fatalf("unwrap: %v", err)
		}
	}
	_, _, otherPriv, _ := rsaPEMs(t)
	w, _ := ParseRSA(pub1, "", "")
	m, _ := w.NewMaterial(context.Background())
	r, _ := ParseRSA("", otherPriv, "")
	_, _, err := r.Unwrap(context.Background(), m.EncryptedKey, m.EncryptedIV)
	if new(big.Int).SetBytes(m.EncryptedKey).Cmp(r.Private.N) >= 0 {
		if err == nil || err.Error() != "Ciphertext too large" {
			t.Fatalf("wrong private key, wrapped key above its modulus: %v", err)
		}
	} else if !errors.Is(err, ErrWrongKey) {
		t.Fatalf("wrong private key: %v", err)
	}
	// pycryptodome's checks come first in oss2, with their messages
	if _, err := r.unwrapOne(m.EncryptedKey[1:]); err == nil || err.Error() != "Ciphertext with incorrect length (not 128 bytes)" {
		t.Fatalf("short: %v", err)
	}
	if _, err := r.unwrapOne(bytes.Repeat([]byte{0xff}, 128)); err == nil || err.Error() != "Ciphertext too large" {
		t.Fatalf("too large: %v", err)
	}
	if _, err := ParseRSA("not a key", "", ""); err == nil {
		t.Fatal("garbage parsed as a key")
	}
}

// The vector is aliyunsdkcore's (rpc_signature_composer), with characters each encoding step treats apart.
func TestSignRPCMatchesAliyunSDKCore(t *testing.T) {
	params := map[string]string{"Action": "Decrypt", "CiphertextBlob": "a b*c~d+/=", "EncryptionContext": `{"x-passphrase":"p"}`,
		"Timestamp": "2026-12-07T00:00:00Z", "SignatureNonce": "n", "AccessKeyId": "ak", "Format": "JSON",
		"Version": "2016-01-20", "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0"}
	if got := SignRPC("POST", params, "secret"); got != "dXKCuNkTYZXv+UVhBXeYZFuUTC0=" {
		t.Fatalf("signature %s", got)
	}
}

// A fake KMS that checks the signature and the encryption context, and "wraps" by tagging.
func fakeKMS(t *testing.T, secret string) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		p := map[string]string{}
		for k := range r.Form {
			p[k] = r.Form.Get(k)
		}
		out := map[string]any{"RequestId": "rid"}
		status := 200
		switch {
		case SignRPC("POST", p, secret) != p["Signature"]:
			status, out["Code"], out["Message"] = 400, "IncompleteSignature", "bad signature"
		case p["Action"] == "GenerateDataKey":
			out["Plaintext"] = base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32))
			out["CiphertextBlob"] = "blob:" + p["EncryptionContext"] + ":" + out["Plaintext"].(string)
		case p["Action"] == "Encrypt":
			out["CiphertextBlob"] = "blob:" + p["EncryptionContext"] + ":" + p["Plaintext"]
		case p["Action"] == "Decrypt":
			prefix := "blob:" + p["EncryptionContext"] + ":"
			blob := p["CiphertextBlob"]
			if len(blob) < len(prefix) || blob[:len(prefix)] != prefix {
				status, out["Code"], out["Message"] = 400, "InvalidCiphertext", "bad context"
			} else {
				out["Plaintext"] = blob[len(prefix):]
			}
		}
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(out)
	}))
}

func TestKMSMaterialRoundTripAndErrors(t *testing.T) {
	srv := fakeKMS(t, "sk")
	defer srv.Close()
	k := &KMS{AccessKeyID: "ak", AccessKeySecret: "sk", Region: "cn-hangzhou", CMKID: "cmk", Context: `{"x-passphrase":"p"}`, Endpoint: srv.URL}
	ctx := context.Background()
	m, err := k.NewMaterial(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(m.Key, bytes.Repeat([]byte{7}, 32)) {
		t.Fatalf("key %x", m.Key)
	}
	key, iv, err := k.Unwrap(ctx, m.EncryptedKey, m.EncryptedIV)
	if err != nil || !bytes.Equal(key, m.Key) || !bytes.Equal(iv, m.IV) {
		t.Fatalf("unwrap: %v", err)
	}
	other := *k
	other.Context = ""
	var ke *KMSError
	if _, _, err := other.Unwrap(ctx, m.EncryptedKey, m.EncryptedIV); !errors.As(err, &ke) || ke.Code != "InvalidCiphertext" || ke.Status != 400 || ke.RequestID != "rid" {
		t.Fatalf("other context: %v", err)
	}
	other = *k
	other.AccessKeySecret = "wrong"
	if _, err := other.NewMaterial(ctx); !errors.As(err, &ke) || ke.Code != "IncompleteSignature" {
		t.Fatalf("wrong secret: %v", err)
	}
	if got := (&KMS{Region: "cn-beijing"}).endpoint(); got != "https://kms.cn-beijing.aliyuncs.com/" {
		t.Fatalf("default endpoint %s", got)
	}
}

// The keys in testdata are one RSA key pair exported by pycryptodome (oss2's library) with the
// passphrase "pw": the private key as encrypted PKCS#8 (export_key's default and the older
// default), the public key as legacy encrypted PEM; N mod 1000003 is 28582.
func TestRSAKeysExportedByPycryptodomeWithAPassphrase(t *testing.T) {
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	pub := read("public-legacy-3des.pem")
	for _, name := range []string{"pbkdf2-sha256-aes256.pem", "pbkdf2-sha1-3des.pem"} {
		r, err := ParseRSA(pub, read(name), "pw")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if m := new(big.Int).Mod(r.Private.N, big.NewInt(1000003)).Int64(); m != 28582 || r.Public.N.Cmp(r.Private.N) != 0 {
			t.Fatalf("%s: another key (%d)", name, m)
		}
		if _, err := ParseRSA("", read(name), "wrong"); err == nil {
			t.Fatalf("%s opened with a wrong passphrase", name)
		}
		if _, err := ParseRSA("", read(name), ""); err == nil {
			t.Fatalf("%s opened without a passphrase", name)
		}
	}
	if _, err := ParseRSA("", read("scrypt-aes128.pem"), "pw"); err == nil || !strings.Contains(err.Error(), "PBKDF2") {
		t.Fatalf("scrypt: %v", err)
	}
}

func TestGeneratedKeysReadBackAndWrapWithOAEP(t *testing.T) {
	for _, pass := range []string{"", "secret"} {
		pub, priv, err := GenerateRSA(1024, pass)
		if err != nil {
			t.Fatal(err)
		}
		r, err := ParseRSA(pub, priv, pass)
		if err != nil {
			t.Fatalf("passphrase %q: %v", pass, err)
		}
		r.OAEP = true
		m, err := r.NewMaterial(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		key, iv, err := r.Unwrap(context.Background(), m.EncryptedKey, m.EncryptedIV)
		if err != nil || !bytes.Equal(key, m.Key) || !bytes.Equal(iv, m.IV) {
			t.Fatalf("OAEP unwrap: %v", err)
		}
		r.OAEP = false
		if _, err := r.unwrapOne(m.EncryptedKey); err == nil {
			t.Fatal("an OAEP-wrapped key opened as PKCS#1 v1.5")
		}
	}
}
