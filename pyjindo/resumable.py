"""oss2's resumable_upload and resumable_download, with their signatures.

pyjindo's plain calls already stream files from and to disk in Go; these keep programs written
for oss2 working. The checkpoint `store` arguments are accepted and not needed: a failed
download leaves no partial target (it is written to a temporary name and renamed), and a failed
upload is retried by calling again.
"""
import os

from . import defaults

_MAX_PART_COUNT = 10000


def determine_part_size(total_size, preferred_size=None):
    """The part size oss2 would choose: preferred (default defaults.part_size), grown to fit
    10,000 parts."""
    if not preferred_size:
        preferred_size = defaults.part_size
    part_size = preferred_size
    while total_size > part_size * _MAX_PART_COUNT:
        part_size *= 2
    return part_size


class ResumableStore(object):
    """Accepted for compatibility; pyjindo keeps no upload checkpoints on disk."""

    def __init__(self, root=None, dir=None):
        self.dir = os.path.join(root or os.path.expanduser("~"), dir or ".py-oss-upload")


class ResumableDownloadStore(ResumableStore):
    def __init__(self, root=None, dir=None):
        super().__init__(root, dir or ".py-oss-download")


def make_upload_store(root=None, dir=None):
    return ResumableStore(root=root, dir=dir)


def make_download_store(root=None, dir=None):
    return ResumableDownloadStore(root=root, dir=dir)


def resumable_upload(bucket, key, filename, store=None, headers=None, multipart_threshold=None, part_size=None,
                     progress_callback=None, num_threads=None, params=None):
    """Upload a file; returns a PutObjectResult as oss2 does."""
    return bucket.put_object_from_file(key, filename, headers=headers, progress_callback=progress_callback)


def resumable_download(bucket, key, filename, multiget_threshold=None, part_size=None, progress_callback=None,
                       num_threads=None, store=None, params=None, headers=None):
    """Download an object to a file; the target appears only when complete."""
    bucket.get_object_to_file(key, filename, progress_callback=progress_callback, params=params, headers=headers)
