package ops

import (
	"context"
	"encoding/base64"
	"errors"

	"github.com/pyjindo/pyjindo/go/oss/crypto"
)

// Client-side encryption (pyjindo.CryptoBucket): Python keeps oss2's metadata rules and asks Go
// for the key work (crypto_material, crypto_unwrap); the data is encrypted in Go where it is
// read for sending (RequestArgs.Cipher) and decrypted where a get_object stream is read
// (stream_decrypt), so parallel parts stay parallel.

func init() {
	register("crypto_check", NoBuffer, cryptoCheck)
	register("crypto_rsa_generate", NoBuffer, cryptoRSAGenerate)
	register("crypto_material", NoBuffer, cryptoMaterial)
	register("crypto_unwrap", NoBuffer, cryptoUnwrap)
	register("stream_decrypt", NoBuffer, streamDecrypt)
}

// CryptoProvider is the master key of an RsaProvider ("wrap": "rsa", PEM keys), a
// LocalRsaProvider ("rsa-oaep") or an AliKMSProvider ("kms").
type CryptoProvider struct {
	Wrap       string `json:"wrap" arg:"required"`
	PublicKey  string `json:"public_key"`
	PrivateKey string `json:"private_key"`
	Passphrase string `json:"passphrase"`

	AccessKeyID     string `json:"access_key_id"`
	AccessKeySecret string `json:"access_key_secret"`
	SecurityToken   string `json:"security_token"`
	Region          string `json:"region"`
	CMKID           string `json:"cmk_id"`
	Context         string `json:"context"`
	// Endpoint is KMS's host or URL; "" is the region's public endpoint.
	Endpoint string `json:"endpoint"`
}

func (p *CryptoProvider) provider() (crypto.Provider, error) {
	switch p.Wrap {
	case "rsa", "rsa-oaep":
		r, err := crypto.ParseRSA(p.PublicKey, p.PrivateKey, p.Passphrase)
		if err != nil {
			return nil, clientErrorf("%v", err)
		}
		r.OAEP = p.Wrap == "rsa-oaep"
		return r, nil
	case "kms":
		return &crypto.KMS{AccessKeyID: p.AccessKeyID, AccessKeySecret: p.AccessKeySecret,
			SecurityToken: p.SecurityToken, Region: p.Region, CMKID: p.CMKID, Context: p.Context,
			Endpoint: p.Endpoint}, nil
	}
	return nil, clientErrorf("unknown key wrapping %q (want rsa, rsa-oaep or kms)", p.Wrap)
}

// keyError is a provider's failure as Python raises it: KMS's answers as they are (OpenApi
// errors), anything else (a wrong RSA key) a ClientError.
func keyError(err error) error {
	var ke *crypto.KMSError
	var fe *crypto.KMSFormatError
	if errors.As(err, &ke) || errors.As(err, &fe) || errors.Is(err, context.Canceled) {
		return err
	}
	return clientErrorf("%v", err)
}

type CryptoCheckArgs struct {
	Provider CryptoProvider `json:"provider" arg:"required"`
}

// cryptoCheck reads a provider's master key (RSA keys parsed), so bad keys fail where oss2's
// provider fails: when it is made.
func cryptoCheck(_ context.Context, _ *Call, a *CryptoCheckArgs) (Empty, error) {
	_, err := a.Provider.provider()
	return Empty{}, err
}

type CryptoRSAGenerateArgs struct {
	Bits       int    `json:"bits" arg:"required"`
	Passphrase string `json:"passphrase"`
}

type CryptoRSAKeys struct {
	PublicKey  string `json:"public_key"`
	PrivateKey string `json:"private_key"`
}

// cryptoRSAGenerate makes a key pair in PEM as pycryptodome exports it (LocalRsaProvider's files).
func cryptoRSAGenerate(_ context.Context, _ *Call, a *CryptoRSAGenerateArgs) (CryptoRSAKeys, error) {
	if a.Bits < 1024 {
		return CryptoRSAKeys{}, clientErrorf("RSA keys of %d bits: at least 1024", a.Bits)
	}
	pub, priv, err := crypto.GenerateRSA(a.Bits, a.Passphrase)
	if err != nil {
		return CryptoRSAKeys{}, err
	}
	return CryptoRSAKeys{PublicKey: pub, PrivateKey: priv}, nil
}

type CryptoMaterialArgs struct {
	Provider CryptoProvider `json:"provider" arg:"required"`
}

// CryptoMaterialResult holds base64 text: the data key and IV, and both wrapped (the values of
// the -key and -start metadata headers).
type CryptoMaterialResult struct {
	Key          string `json:"key"`
	IV           string `json:"iv"`
	EncryptedKey string `json:"encrypted_key"`
	EncryptedIV  string `json:"encrypted_iv"`
}

// cryptoMaterial makes a new object's data key and IV, wrapped by the master key.
func cryptoMaterial(ctx context.Context, _ *Call, a *CryptoMaterialArgs) (CryptoMaterialResult, error) {
	p, err := a.Provider.provider()
	if err != nil {
		return CryptoMaterialResult{}, err
	}
	m, err := p.NewMaterial(ctx)
	if err != nil {
		return CryptoMaterialResult{}, keyError(err)
	}
	b := base64.StdEncoding.EncodeToString
	return CryptoMaterialResult{Key: b(m.Key), IV: b(m.IV), EncryptedKey: b(m.EncryptedKey), EncryptedIV: b(m.EncryptedIV)}, nil
}

type CryptoUnwrapArgs struct {
	Provider     CryptoProvider `json:"provider" arg:"required"`
	EncryptedKey string         `json:"encrypted_key" arg:"required"` // base64, as in the metadata
	EncryptedIV  string         `json:"encrypted_iv" arg:"required"`
}

type CryptoKey struct {
	Key string `json:"key" arg:"required"` // base64
	IV  string `json:"iv" arg:"required"`
}

func (k *CryptoKey) ctr() (*crypto.CTR, error) {
	key, err1 := base64.StdEncoding.DecodeString(k.Key)
	iv, err2 := base64.StdEncoding.DecodeString(k.IV)
	if err := errors.Join(err1, err2); err != nil {
		return nil, clientErrorf("bad cipher key: %v", err)
	}
	c, err := crypto.NewCTR(key, iv)
	if err != nil {
		return nil, clientErrorf("%v", err)
	}
	return c, nil
}

// cryptoUnwrap opens the wrapped data key and IV of an object's metadata.
func cryptoUnwrap(ctx context.Context, _ *Call, a *CryptoUnwrapArgs) (CryptoKey, error) {
	p, err := a.Provider.provider()
	if err != nil {
		return CryptoKey{}, err
	}
	ek, err1 := base64.StdEncoding.DecodeString(a.EncryptedKey)
	ei, err2 := base64.StdEncoding.DecodeString(a.EncryptedIV)
	if err := errors.Join(err1, err2); err != nil {
		return CryptoKey{}, clientErrorf("bad encryption metadata: %v", err)
	}
	key, iv, err := p.Unwrap(ctx, ek, ei)
	if err != nil {
		return CryptoKey{}, keyError(err)
	}
	b := base64.StdEncoding.EncodeToString
	return CryptoKey{Key: b(key), IV: b(iv)}, nil
}

// RequestCipher encrypts a request's body, which is the object's bytes from Offset on (an
// upload part's place in the object, a multiple of 16).
type RequestCipher struct {
	CryptoKey
	Offset int64 `json:"offset"`
}

type StreamDecryptArgs struct {
	Stream uint64 `json:"stream" arg:"required"`
	CryptoKey
	// Discard is the bytes read and dropped first: the ranged GET began at the block boundary
	// before the caller's start.
	Discard int64 `json:"discard"`
}

// streamDecrypt makes a stream not yet read decrypt what it delivers, from its first byte's
// offset in the object on.
func streamDecrypt(ctx context.Context, c *Call, a *StreamDecryptArgs) (Empty, error) {
	st, err := handleArg[*stream](c, a.Stream, "stream")
	if err != nil {
		return Empty{}, err
	}
	ctr, err := a.ctr()
	if err != nil {
		return Empty{}, err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.cipher != nil || st.body.Pos() != 0 {
		return Empty{}, clientErrorf("stream_decrypt on a stream already read")
	}
	st.cipher = ctr
	if a.Discard > 0 {
		stop := st.bind(ctx, c.Progress)
		defer stop()
		if _, err := st.body.ReadInOrder(make([]byte, a.Discard), nil); err != nil {
			return Empty{}, interrupted(ctx, err)
		}
	}
	return Empty{}, nil
}
