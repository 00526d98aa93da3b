#!/usr/bin/python3
"""One workload of ../shared/bench/native_reference.py with a given number of PyTorch threads.

Usage: /usr/bin/python3 bench/native-threads.py SHARED_DIR THREADS {cnn,mobilenet,style}
Prints one JSON object: the figure under native_reference.py's own key, the thread count, and
the load average when it finished. native_reference.py sets torch to all cores on import; this
script sets the count afterwards, so the browser and native sides can run with the same threads.
"""
import json, os, sys

shared, threads, workload = sys.argv[1], int(sys.argv[2]), sys.argv[3]
sys.path.insert(0, os.path.join(shared, 'bench'))
import native_reference as nr  # noqa: E402
import torch  # noqa: E402
import torchvision  # noqa: E402

torch.set_num_threads(threads)
if workload == 'cnn':
    key, value = 'cnn_paper_initial_train_images_per_s_batch16_148x100', nr.cnn_train_images_per_s()
elif workload == 'mobilenet':
    net = torchvision.models.mobilenet_v2(width_mult=0.35).features.eval()
    key, value = 'mobilenet_v2_0.35_features_images_per_s_224', nr.features_images_per_s(net)
elif workload == 'style':
    net = torchvision.models.vgg19().features[:17].eval()
    key, value = 'style_eval_ms_vgg19_to_block3_conv4_256', nr.style_eval_ms(net, 256)
else:
    sys.exit(f'unknown workload {workload!r}: cnn, mobilenet or style')
print(json.dumps({key: round(value, 3), 'threads': torch.get_num_threads(), 'loadavg': os.getloadavg()[0]}))
