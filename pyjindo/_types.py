"""Type aliases for the public signatures (Bucket, Service, iterators, resumable).

They describe what oss2 accepts, so they are loose where oss2 is: header and parameter mappings
of str or bytes values, bodies of many shapes. Written with `typing` (not `X | Y`) because
python_requires is 3.8.
"""
from typing import IO, Any, Callable, Iterable, Mapping, MutableMapping, Optional, Tuple, Union

#: An object key or file name: str, or UTF-8 bytes (oss2's to_string).
Key = Union[str, bytes]
#: Request headers: a dict or CaseInsensitiveDict of str (sent as Latin-1) or bytes values; a None
#: value is not sent.
Headers = Optional[Mapping[Any, Any]]
#: Query parameters: name -> value; "" or None sends a bare `?name`. Some methods add their
#: sub-resource to the dict given, as oss2's do, hence mutable.
Params = Optional[MutableMapping[str, Any]]
#: A request body: str (UTF-8), bytes-like, a file object (an open regular file is read by Go
#: directly), or an iterable of str/bytes chunks.
Data = Union[str, bytes, bytearray, memoryview, IO[bytes], IO[str], Iterable[Any]]
#: progress_callback(consumed_bytes, total_bytes); total is None when unknown.
ProgressCallback = Optional[Callable[[int, Optional[int]], Any]]
#: (first, last) byte positions, both inclusive; either may be None (as in oss2).
ByteRange = Optional[Tuple[Optional[int], Optional[int]]]
