# An ordinary oss2 program, as users write them. The test runs it as is and with only the import
# line changed to `import pyjindo as oss2`; both runs must print the same thing.
import os
import sys

import oss2

endpoint, ak, sk, bucket_name = sys.argv[1:5]
auth = oss2.Auth(ak, sk)
bucket = oss2.Bucket(auth, endpoint, bucket_name)

bucket.put_object("notes/today.txt", "Buy milk\n")
result = bucket.append_object("logs/app.log", 0, "started\n")
result = bucket.append_object("logs/app.log", result.next_position, "working\n")
print("append next_position", result.next_position)

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "usage_script.py"), "rb") as f:
    print("put status", bucket.put_object("src/usage_script.py", f).status)

obj = bucket.get_object("notes/today.txt")
print("read", obj.read(), obj.content_length, obj.content_type)
print("range", bucket.get_object("logs/app.log", byte_range=(0, 6)).read())
bucket.copy_object(bucket_name, "notes/today.txt", "notes/copy.txt")
meta = bucket.get_object_meta("notes/copy.txt")
print("meta", meta.content_length, meta.etag)
print("exists", bucket.object_exists("notes/copy.txt"), bucket.object_exists("notes/none.txt"))

for info in oss2.ObjectIterator(bucket, delimiter="/"):
    print("listed", info.key, info.is_prefix())
for info in oss2.ObjectIterator(bucket, prefix="notes/"):
    print("object", info.key, info.size, info.etag, info.type, info.storage_class)

try:
    bucket.get_object("notes/none.txt")
except oss2.exceptions.NoSuchKey as e:
    print("error", e.status, e.code, e.message)
try:
    bucket.append_object("logs/app.log", 3, "late")
except oss2.exceptions.PositionNotEqualToLength as e:
    print("error", e.status, e.code, e.next_position)

keys = [info.key for info in oss2.ObjectIterator(bucket)]
print("deleted", sorted(bucket.batch_delete_objects(keys).deleted_keys))
print("left", [info.key for info in oss2.ObjectIterator(bucket)])
