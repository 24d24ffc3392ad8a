"""CaseInsensitiveDict, the mapping oss2 uses for headers (pyjindo.utils and pyjindo.http export
it). It sits below exceptions and utils, which both need it."""
from collections.abc import Mapping, MutableMapping
from typing import Any


class CaseInsensitiveDict(MutableMapping):
    """A dict whose keys compare without regard to case, remembering the case last set.

    Behaves like requests.structures.CaseInsensitiveDict (which oss2 uses), without requests.
    """

    _flat: Any  # the flat header list of one made by _of_flat, until its store is made

    def __init__(self, data=None, **kwargs):
        self._store = {}  # lowercased key -> (key, value), in insertion order
        if data is None:
            data = {}
        self.update(data, **kwargs)

    @classmethod
    def _of_flat(cls, flat):
        """One of the headers in flat, [name, value, name, value, ..., ""] (a NUL-terminated block
        split), repeated names joined with ", " as requests (and so oss2) does. Its store is made
        on first use: most results only read their fields, looked up elsewhere."""
        d = cls.__new__(cls)
        d._flat = flat
        return d

    def __getattr__(self, name):
        # only for a missing attribute: the store of one made by _of_flat, on first use
        flat = self.__dict__.get("_flat")
        if name != "_store" or flat is None:
            raise AttributeError(name)
        names, values = flat[0:-1:2], flat[1::2]
        lowered = list(map(str.lower, names))
        store = dict(zip(lowered, zip(names, values)))
        if len(store) != len(names):
            store = {}
            for low, name_, value in zip(lowered, names, values):
                had = store.get(low)
                store[low] = (name_, value) if had is None else (name_, had[1] + ", " + value)
        self._store = store
        del self._flat
        return store

    def __setitem__(self, key, value):
        self._store[key.lower()] = (key, value)

    def __getitem__(self, key):
        return self._store[key.lower()][1]

    # __contains__ and get in one lookup each (Mapping's go through __getitem__ and an exception):
    # the result classes look every header up this way
    def __contains__(self, key):
        return key.lower() in self._store

    def get(self, key, default=None):
        item = self._store.get(key.lower())
        return default if item is None else item[1]

    def __delitem__(self, key):
        del self._store[key.lower()]

    def __iter__(self):
        return (casedkey for casedkey, _ in self._store.values())

    def __len__(self):
        return len(self._store)

    def lower_items(self):
        """(lowercased key, value) pairs."""
        return ((lkey, kv[1]) for lkey, kv in self._store.items())

    def __eq__(self, other):
        if isinstance(other, Mapping):
            other = CaseInsensitiveDict(other)
        else:
            return NotImplemented
        return dict(self.lower_items()) == dict(other.lower_items())

    __hash__ = None  # type: ignore[assignment]  # unhashable, as a dict

    def copy(self):
        return CaseInsensitiveDict(self._store.values())

    def __repr__(self):
        return str(dict(self.items()))
