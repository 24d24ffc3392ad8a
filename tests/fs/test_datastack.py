"""pyjindo.fs under pandas, pyarrow and Dask, and in forked children, with `oss://` URLs."""
import os

import numpy as np
import pandas as pd
import pyarrow.dataset as ds
import pytest
from pyarrow.fs import FSSpecHandler, PyFileSystem



def _frame(n, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"k": rng.integers(0, 5, n), "v": rng.random(n), "s": ["r%d" % i for i in range(n)]})


def test_pandas_parquet_and_csv_round_trips(oss_options, bucket):
    df = _frame(1000)
    url = "oss://%s/pd/data.parquet" % bucket
    df.to_parquet(url, storage_options=oss_options)
    pd.testing.assert_frame_equal(pd.read_parquet(url, storage_options=oss_options), df)
    csv = "oss://%s/pd/data.csv" % bucket
    df.to_csv(csv, index=False, storage_options=oss_options)
    pd.testing.assert_frame_equal(pd.read_csv(csv, storage_options=oss_options), df)


def test_pyarrow_dataset_over_oss(ossfs, bucket):
    for i in range(3):
        ossfs.pipe_file("%s/pa/part-%d.parquet" % (bucket, i), _frame(100, seed=i).to_parquet())
    arrow_fs = PyFileSystem(FSSpecHandler(ossfs))
    dataset = ds.dataset(bucket + "/pa", format="parquet", filesystem=arrow_fs)
    table = dataset.to_table(filter=ds.field("k") == 3)
    expected = pd.concat([_frame(100, seed=i) for i in range(3)])
    assert table.num_rows == int((expected["k"] == 3).sum())
    assert abs(table.column("v").to_pandas().sum() - expected[expected["k"] == 3]["v"].sum()) < 1e-9


def test_dask_cluster_of_worker_processes_reads_parquet_from_oss(oss_options, ossfs, bucket):
    dd = pytest.importorskip("dask.dataframe")
    from distributed import Client, LocalCluster

    frames = [_frame(200, seed=i) for i in range(20)]
    ossfs.pipe({"%s/dask/part-%02d.parquet" % (bucket, i): f.to_parquet() for i, f in enumerate(frames)})
    local = pd.concat(frames).groupby("k")["v"].sum()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      worker_dashboard_address=None) as cluster, Client(cluster, timeout=60) as client:
        pids = set(client.run(os.getpid).values())
        assert os.getpid() not in pids and len(pids) == 2
        ddf = dd.read_parquet("oss://%s/dask/" % bucket, storage_options=oss_options)
        assert ddf.npartitions == 20
        result = ddf.groupby("k")["v"].sum().compute(timeout=120)
    pd.testing.assert_series_equal(result.sort_index(), local.sort_index(), check_exact=False)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork")
def test_forked_children_use_the_parents_filesystem(ossfs, bucket):
    paths = ["%s/fork/%d" % (bucket, i) for i in range(4)]
    ossfs.pipe({p: p.encode() * 100 for p in paths})
    assert ossfs.cat_file(paths[0])  # the parent's Go library and sessions are live before the fork
    children = []
    for p in paths:
        pid = os.fork()
        if pid == 0:  # a DataLoader-style worker: read with the parent's object, write a result
            code = 1
            try:
                data = ossfs.cat_file(p)
                with ossfs.open(p, "rb") as f:
                    ok = f.read() == data == p.encode() * 100
                ossfs.pipe_file(p + ".done", b"ok" if ok else b"bad")
                code = 0 if ok else 1
            finally:
                os._exit(code)
        children.append(pid)
    for pid in children:
        _, status = os.waitpid(pid, 0)
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    assert ossfs.cat([p + ".done" for p in paths]) == {p + ".done": b"ok" for p in paths}
    assert ossfs.cat_file(paths[1]) == paths[1].encode() * 100  # the parent still works after
