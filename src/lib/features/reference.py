"""Reference values for cluster.test.ts, computed with numpy 1.x / scipy 1.10.1.

Run: /usr/bin/python3 src/lib/features/reference.py > src/lib/features/cluster.reference.json
"""
import json

import numpy as np
from scipy.cluster.hierarchy import fcluster, leaves_list, linkage
from scipy.spatial.distance import squareform

rng = np.random.RandomState(7)
labels = (rng.rand(40, 5) < [0.5, 0.3, 0.6, 0.2, 0.4]).astype(int)
labels[:, 4] = labels[:, 0] | labels[:, 3]  # a correlated column
corr = np.corrcoef(labels, rowvar=False)

pts = rng.rand(7, 3)
dist = np.sqrt(((pts[:, None, :] - pts[None, :, :]) ** 2).sum(-1))
out = {"labels": labels.tolist(), "corr": corr.tolist(), "dist": dist.tolist()}
for method in ["single", "complete", "average"]:
    z = linkage(squareform(dist, checks=False), method=method)
    out[method] = {
        "Z": z.tolist(),
        "leaves": leaves_list(z).tolist(),
        "fcluster3": fcluster(z, 3, criterion="maxclust").tolist(),
    }
print(json.dumps(out))
