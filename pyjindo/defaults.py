"""Process-wide defaults, same names and values as oss2.defaults. Change them before use."""


def get(value, default_value):
    """`value` unless it is None, in which case `default_value`."""
    return default_value if value is None else value


#: seconds allowed for a connection to be established
connect_timeout = 60

#: attempts for a request that failed in a retryable way
request_retries = 3

#: resumable uploads switch to multipart at this size (bytes)
multipart_threshold = 10 * 1024 * 1024

#: threads used by a resumable multipart upload
multipart_num_threads = 1

#: part size of resumable multipart uploads (bytes)
part_size = 10 * 1024 * 1024

#: the most parts one upload may have
max_part_count = 10000

#: the smallest part size accepted (bytes)
min_part_size = 100 * 1024

#: connections kept per pool
connection_pool_size = 10

#: resumable downloads switch to ranged parallel gets at this size (bytes)
multiget_threshold = 100 * 1024 * 1024

#: threads used by a resumable download
multiget_num_threads = 4

#: range size of resumable downloads (bytes)
multiget_part_size = 10 * 1024 * 1024
