package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/pyjindo/pyjindo/go/server/store"
)

// Helpers of the bucket families whose state is one document in the bucket's configs (WORM,
// replication, inventory, ...): the document is rewritten whole under the store's bucket lock.

// errRefused abandons a bucket update whose change was refused with an ossError.
var errRefused = errors.New("refused")

// updateConfig rewrites the bucket's config name: change gets the stored document ("" when
// there is none) and returns the new one ("" removes it) or the error to answer with.
func (rq *request) updateConfig(name string, change func(doc string, b *store.BucketInfo) (string, *ossError)) *ossError {
	var fail *ossError
	_, err := rq.s.cfg.Store.UpdateBucket(rq.bucket, func(b *store.BucketInfo) error {
		doc, e := change(b.Configs[name], b)
		if e != nil {
			fail = e
			return errRefused
		}
		setConfig(b, name, doc)
		return nil
	})
	if fail != nil {
		return fail
	}
	if err != nil {
		return storeError(err, rq.bucket, "")
	}
	return nil
}

// parseBoundedInt reads a decimal integer in [lo, hi].
func parseBoundedInt(s string, lo, hi int) (int, bool) {
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, false
	}
	return n, true
}

// familySubresource finds the handler of a family's bucket request, or nil.
func (rq *request) familySubresource(m string) func() *ossError {
	switch {
	case rq.has("wormExtend") && m == http.MethodPost:
		return rq.extendBucketWorm
	case rq.has("wormId") && m == http.MethodPost:
		return rq.completeBucketWorm
	case rq.has("worm") && m == http.MethodPost:
		return rq.initiateBucketWorm
	case rq.has("worm") && m == http.MethodGet:
		return rq.getBucketWorm
	case rq.has("worm") && m == http.MethodDelete:
		return rq.abortBucketWorm
	}
	return nil
}
