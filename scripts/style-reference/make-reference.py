#!/usr/bin/env python3
"""Independent reference output for Magenta's int8 arbitrary-image-stylization pair.

Runs prediction.tflite (style image -> 100-d style vector) and transfer.tflite (content image +
style vector -> stylised image) through Arm NN (Debian's build, TfLite parser + CpuRef backend),
a runtime that shares no code with TFLite/tfjs-tflite, and writes a small fixture that the
browser test src/lib/style/instant-reference.browser.test.ts compares tfjs-tflite against.

Inputs are synthetic and defined by integer formulas (style_pixel / content_pixel below) that
src/lib/style/instant-reference-inputs.ts computes identically in TypeScript, so the fixture
holds no image at all and nothing from ../shared is committed.

Arm NN 20.08 (the Debian 12 version) cannot parse three op types the transfer network uses:
MIRROR_PAD, SQUARED_DIFFERENCE and RSQRT ("Operator not supported"). In this model all three
sit between a DEQUANTIZE and a QUANTIZE, so they run on float32. This script therefore cuts the
graph at those ops: every other op (the int8 CONV_2D, MEAN, MUL, ADD, SUB, LOGISTIC, QUANTIZE,
DEQUANTIZE and the float RESIZE_NEAREST_NEIGHBOR) runs in Arm NN segments, and the three float
ops run in numpy between segments (reflect/symmetric padding, (a-b)^2 and 1/sqrt(x) in float32,
which are exact or correctly rounded, as in TFLite's float kernels). Each segment is the
original .tflite with its subgraph's operator, input and output lists rewritten in a copy of
the buffer, so Arm NN reads the original weights and quantisation parameters. prediction.tflite
needs no cutting.

Needs (Debian 12):
  apt-get install python3-numpy python3-pyarmnn libarmnntfliteparser22 libarmnn-cpuref-backend22
Run from the repository root (CpuRef is slow: 1.5 to 4 minutes on 2 shared cores):
  /usr/bin/python3 scripts/style-reference/make-reference.py \
      --models ../shared/models/magenta-arbitrary-stylization-int8 \
      --out src/test/fixtures/instant-stylization-reference.json
(/usr/bin/python3 because pyarmnn is installed for Debian's python, not a pyenv one.)
"""

import argparse
import base64
import hashlib
import json
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

STYLE_SIZE = 256
CONTENT_SIZE = 384
OUTPUT_STRIDE = 2  # keep every 2nd row and column of the 384x384 output: 110 KB of bytes

# ---- synthetic inputs (mirrored exactly by src/lib/style/instant-reference-inputs.ts) --------


def style_pixel(x, y, c):
    """0..255 value of the style image at column x, row y, channel c (integer arithmetic only)."""
    ring = ((x - 100) * (x - 100) + (y - 140) * (y - 140)) // 97 % 64
    stripe = (x + 2 * y) // 16 % 2
    if c == 0:
        return (ring * 4 + stripe * 40) % 256
    if c == 1:
        return ((x * y) // 64 + stripe * 120) % 256
    return (255 - ring * 3 + (x // 32) * 20) % 256


def content_pixel(x, y, c):
    """0..255 value of the content image: gradients, a 48-px checker and quadratic 'noise'."""
    gradient = (x * (c + 1)) // 3 + (y * (3 - c)) // 3
    checker = (x // 48 + y // 48) % 2 * 64
    noise = (x * x * 3 + y * y * 5 + x * y * 7 + c * 11) % 29
    return (gradient + checker + noise) % 256


def image_bytes(size, pixel):
    """[size, size, 3] uint8: pixel(x, y, c) for row y, column x, channel c."""
    values = [[[pixel(x, y, c) for c in range(3)] for x in range(size)] for y in range(size)]
    return np.array(values, dtype=np.uint8)


def as_input(values):
    """[1, H, W, 3] float32 in [0, 1]: byte / 255 in float64, rounded once to float32."""
    return (values.astype(np.float64) / 255.0).astype(np.float32)[None]


# ---- minimal .tflite flatbuffer access (field slots from TFLite's schema.fbs) -----------------

MODEL_SUBGRAPHS, MODEL_OPCODES, MODEL_BUFFERS = 2, 1, 4
SUBGRAPH_TENSORS, SUBGRAPH_INPUTS, SUBGRAPH_OUTPUTS, SUBGRAPH_OPERATORS = 0, 1, 2, 3
TENSOR_SHAPE, TENSOR_TYPE, TENSOR_BUFFER, TENSOR_NAME, TENSOR_QUANT = 0, 1, 2, 3, 4
OP_OPCODE, OP_INPUTS, OP_OUTPUTS, OP_OPTIONS = 0, 1, 2, 4
OPCODE_DEPRECATED, OPCODE_BUILTIN = 0, 3
MIRROR_PAD, SQUARED_DIFFERENCE, RSQRT = 100, 99, 76
CONV_2D, DEPTHWISE_CONV_2D = 3, 4
QUANT_SCALE = 2
NUMPY_OPS = {MIRROR_PAD, SQUARED_DIFFERENCE, RSQRT}


class Flat:
    """Reads tables, vectors and scalars of a flatbuffer by field slot."""

    def __init__(self, data):
        self.b = data

    def u32(self, p):
        return struct.unpack_from('<I', self.b, p)[0]

    def field(self, table, slot):
        vtable = table - struct.unpack_from('<i', self.b, table)[0]
        if 4 + 2 * slot >= struct.unpack_from('<H', self.b, vtable)[0]:
            return 0
        off = struct.unpack_from('<H', self.b, vtable + 4 + 2 * slot)[0]
        return table + off if off else 0

    def ref(self, table, slot):
        """Position of the table, vector or string a field points to (0 when absent)."""
        p = self.field(table, slot)
        return p + self.u32(p) if p else 0

    def scalar(self, table, slot, fmt, default=0):
        p = self.field(table, slot)
        return struct.unpack_from(fmt, self.b, p)[0] if p else default

    def tables(self, table, slot):
        v = self.ref(table, slot)
        if not v:
            return []
        return [v + 4 + 4 * i + self.u32(v + 4 + 4 * i) for i in range(self.u32(v))]

    def array(self, table, slot, dtype):
        v = self.ref(table, slot)
        if not v:
            return np.zeros(0, dtype)
        return np.frombuffer(bytes(self.b), dtype=dtype, count=self.u32(v), offset=v + 4)

    def string(self, table, slot):
        v = self.ref(table, slot)
        return bytes(self.b[v + 4 : v + 4 + self.u32(v)]).decode() if v else ''


class Graph:
    """The first subgraph of a .tflite model: tensors, operators and their op codes."""

    def __init__(self, data):
        self.fb = Flat(bytearray(data))
        fb = self.fb
        model = fb.u32(0)
        codes = [
            max(fb.scalar(c, OPCODE_DEPRECATED, '<b'), fb.scalar(c, OPCODE_BUILTIN, '<i'))
            for c in fb.tables(model, MODEL_OPCODES)
        ]
        self.buffers = fb.tables(model, MODEL_BUFFERS)
        self.subgraph = fb.tables(model, MODEL_SUBGRAPHS)[0]
        self.tensors = fb.tables(self.subgraph, SUBGRAPH_TENSORS)
        self.ops = []
        for op in fb.tables(self.subgraph, SUBGRAPH_OPERATORS):
            self.ops.append(
                {
                    'table': op,
                    'code': codes[fb.scalar(op, OP_OPCODE, '<I')],
                    'inputs': [int(i) for i in fb.array(op, OP_INPUTS, '<i4') if i >= 0],
                    'outputs': [int(i) for i in fb.array(op, OP_OUTPUTS, '<i4')],
                }
            )
        self.inputs = [int(i) for i in fb.array(self.subgraph, SUBGRAPH_INPUTS, '<i4')]
        self.outputs = [int(i) for i in fb.array(self.subgraph, SUBGRAPH_OUTPUTS, '<i4')]

    def name(self, t):
        return self.fb.string(self.tensors[t], TENSOR_NAME)

    def constant(self, t):
        """The tensor's data if it is a weight/constant, else None."""
        buf = self.fb.scalar(self.tensors[t], TENSOR_BUFFER, '<I')
        if not buf:
            return None
        data = self.fb.array(self.buffers[buf], 0, np.uint8)
        return data if len(data) else None

    def segment(self, op_indices, inputs, outputs):
        """A copy of the model whose subgraph runs only the given ops, with new inputs/outputs."""
        b = bytearray(self.fb.b)
        fb = Flat(b)
        ops_vec = fb.ref(self.subgraph, SUBGRAPH_OPERATORS)
        old = [ops_vec + 4 + 4 * k + fb.u32(ops_vec + 4 + 4 * k) for k in range(fb.u32(ops_vec))]
        struct.pack_into('<I', b, ops_vec, len(op_indices))
        for i, k in enumerate(op_indices):  # i <= k, so each offset stays positive
            slot = ops_vec + 4 + 4 * i
            struct.pack_into('<I', b, slot, old[k] - slot)
        for field, values in ((SUBGRAPH_INPUTS, inputs), (SUBGRAPH_OUTPUTS, outputs)):
            b.extend(b'\0' * (-len(b) % 4))
            vec = len(b)
            b.extend(struct.pack(f'<I{len(values)}i', len(values), *values))
            p = fb.field(self.subgraph, field)
            struct.pack_into('<I', b, p, vec - p)
        self._restate_bias_scales(fb, op_indices)
        return b

    def scales(self, fb, t):
        quant = fb.ref(self.tensors[t], TENSOR_QUANT)
        return (fb.ref(quant, QUANT_SCALE) if quant else 0), fb.array(quant, QUANT_SCALE, '<f4') if quant else []

    def _restate_bias_scales(self, fb, op_indices):
        """Writes input_scale * weight_scale into each conv's bias scales, in place.

        TFLite's int32 bias is always in units of input_scale * weight_scale; its kernels ignore
        the scale stored on the bias tensor. This model shares one all-zero bias tensor among ten
        residual convolutions (whose biases the instance norm makes redundant), so its stored
        scale fits only one of them, and Arm NN rejects the others ("Expected ... quantization
        scale for bias tensor"). Restating the scale TFLite uses changes no result.
        """
        restated = {}
        for k in op_indices:
            op = self.ops[k]
            if op['code'] not in (CONV_2D, DEPTHWISE_CONV_2D) or len(op['inputs']) < 3:
                continue
            x, w, bias = op['inputs'][:3]
            want = np.float32(self.scales(fb, x)[1][0]) * self.scales(fb, w)[1].astype(np.float32)
            pos, have = self.scales(fb, bias)
            if len(have) != len(want):
                raise ValueError(f'bias {self.name(bias)}: {len(have)} scales for {len(want)} channels')
            if bias in restated and not np.array_equal(restated[bias], want):
                raise ValueError(f'bias {self.name(bias)} needs two scales in one segment')
            restated[bias] = want
            struct.pack_into(f'<{len(want)}f', fb.b, pos + 4, *want)

    def mirror_pad_mode(self, op):
        options = self.fb.ref(op['table'], OP_OPTIONS)
        return 'symmetric' if options and self.fb.scalar(options, 0, '<b') == 1 else 'reflect'


# ---- running ---------------------------------------------------------------------------------


def run_numpy_op(graph, op, values):
    a = values[op['inputs'][0]]
    if op['code'] == MIRROR_PAD:
        pads = graph.constant(op['inputs'][1]).view('<i4').reshape(-1, 2)
        return np.pad(a, pads, mode=graph.mirror_pad_mode(op))
    if op['code'] == SQUARED_DIFFERENCE:
        d = a - values[op['inputs'][1]]
        return (d * d).astype(np.float32)
    if op['code'] == RSQRT:
        return (np.float32(1) / np.sqrt(a)).astype(np.float32)
    raise ValueError(f"no numpy kernel for op code {op['code']}")


def run_armnn(ann, runtime, model_bytes, graph, inputs, outputs, values):
    parser = ann.ITfLiteParser()
    # pyarmnn 20.08 parses files only (no CreateNetworkFromBinary), so go through a temp file.
    with tempfile.NamedTemporaryFile(suffix='.tflite') as f:
        f.write(model_bytes)
        f.flush()
        network = parser.CreateNetworkFromBinaryFile(f.name)
    in_info = [parser.GetNetworkInputBindingInfo(0, graph.name(t)) for t in inputs]
    out_info = [parser.GetNetworkOutputBindingInfo(0, graph.name(t)) for t in outputs]
    optimized, _ = ann.Optimize(
        network, [ann.BackendId('CpuRef')], runtime.GetDeviceSpec(), ann.OptimizerOptions()
    )
    net_id, _ = runtime.LoadNetwork(optimized)
    in_tensors = ann.make_input_tensors(in_info, [values[t] for t in inputs])
    out_tensors = ann.make_output_tensors(out_info)
    runtime.EnqueueWorkload(net_id, in_tensors, out_tensors)
    results = ann.workload_tensors_to_ndarray(out_tensors)
    runtime.UnloadNetwork(net_id)
    for t, r in zip(outputs, results):
        values[t] = np.array(r, copy=True)


def run_graph(ann, runtime, path, feeds, cut_every=0):
    """Runs a model: Arm NN for every op it parses, numpy for NUMPY_OPS; returns graph outputs.

    cut_every > 0 also cuts the Arm NN segments every that many ops (to test the cutting).
    """
    data = Path(path).read_bytes()
    graph = Graph(data)
    values = {graph.inputs[i]: a for i, a in enumerate(feeds)}
    consumers_after = {}
    for k, op in enumerate(graph.ops):
        for t in op['inputs']:
            consumers_after[t] = k
    segments, current = [], []
    for k, op in enumerate(graph.ops):
        if op['code'] in NUMPY_OPS:
            if current:
                segments.append(current)
            segments.append([k])
            current = []
        else:
            current.append(k)
            if cut_every and len(current) == cut_every:
                segments.append(current)
                current = []
    if current:
        segments.append(current)
    for seg in segments:
        ops = [graph.ops[k] for k in seg]
        if len(seg) == 1 and ops[0]['code'] in NUMPY_OPS:
            values[ops[0]['outputs'][0]] = run_numpy_op(graph, ops[0], values)
            continue
        produced = {t for op in ops for t in op['outputs']}
        needed = [t for op in ops for t in op['inputs'] if t not in produced and graph.constant(t) is None]
        inputs = list(dict.fromkeys(needed))
        outputs = [
            t
            for t in sorted(produced)
            if t in graph.outputs or consumers_after.get(t, -1) > seg[-1]
        ]
        model = graph.segment(seg, inputs, outputs) if len(segments) > 1 else data
        run_armnn(ann, runtime, model, graph, inputs, outputs, values)
    return [values[t] for t in graph.outputs], len(segments), values


def armnn_package_version():
    """The Debian package version of Arm NN (its ARMNN_VERSION is the API number, not this)."""
    q = subprocess.run(['dpkg-query', '-W', '-f=${Version}', 'libarmnn22'], capture_output=True, text=True)
    return q.stdout.strip() or 'unknown version'


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--models', default='../shared/models/magenta-arbitrary-stylization-int8')
    ap.add_argument('--out', default='src/test/fixtures/instant-stylization-reference.json')
    args = ap.parse_args()
    try:
        import pyarmnn as ann
    except ImportError:
        sys.exit('pyarmnn is missing: apt-get install python3-pyarmnn libarmnntfliteparser22 '
                 'libarmnn-cpuref-backend22, and run with /usr/bin/python3')
    models = Path(args.models)
    prediction, transfer = models / 'prediction.tflite', models / 'transfer.tflite'
    for p in (prediction, transfer):
        if not p.is_file():
            sys.exit(f'missing model file {p}')
    runtime = ann.IRuntime(ann.CreationOptions())
    style_bytes = image_bytes(STYLE_SIZE, style_pixel)
    content_bytes = image_bytes(CONTENT_SIZE, content_pixel)
    style, content = as_input(style_bytes), as_input(content_bytes)

    t0 = time.time()
    (vector,), n_pred, _ = run_graph(ann, runtime, prediction, [style])
    t1 = time.time()
    (image,), n_tr, _ = run_graph(ann, runtime, transfer, [content, vector.astype(np.float32)])
    t2 = time.time()
    print(f'prediction: {n_pred} Arm NN run(s), {t1 - t0:.1f} s; transfer: {n_tr} segments, {t2 - t1:.1f} s')
    # The cutting must not change results: prediction.tflite run whole and cut into pieces agree.
    (vector_cut,), n_cut, _ = run_graph(ann, runtime, prediction, [style], cut_every=8)
    if not np.array_equal(vector, vector_cut):
        sys.exit(f'cutting changed the result: max diff {np.abs(vector - vector_cut).max()}')
    check = f'prediction.tflite cut into {n_cut} Arm NN segments gives the whole-graph vector bit for bit'
    print(check)

    # The output is DEQUANTIZE(int8, scale 1/256, zero point -128), so every value is k/256 exactly.
    levels = np.rint(image[0] * 256).astype(np.int64)
    if np.abs(levels / 256 - image[0]).max() > 1e-6 or levels.min() < 0 or levels.max() > 255:
        sys.exit('transfer output is not on the k/256 grid the model quantises to')
    sub = levels[::OUTPUT_STRIDE, ::OUTPUT_STRIDE].astype(np.uint8)
    fixture = {
        'about': 'Arm NN (CpuRef) reference for the int8 Magenta stylization pair on synthetic inputs; '
        'made by scripts/style-reference/make-reference.py',
        'runtime': f'Arm NN {armnn_package_version()} (API {ann.ARMNN_VERSION}) CpuRef; '
        'MIRROR_PAD, SQUARED_DIFFERENCE and RSQRT in numpy float32',
        'segmentationCheck': check,
        'models': {'prediction.tflite': sha256(prediction), 'transfer.tflite': sha256(transfer)},
        'inputs': {
            'styleSize': STYLE_SIZE,
            'contentSize': CONTENT_SIZE,
            'styleBytesSha256': hashlib.sha256(style_bytes.tobytes()).hexdigest(),
            'contentBytesSha256': hashlib.sha256(content_bytes.tobytes()).hexdigest(),
        },
        'styleVector': [float(v) for v in vector.reshape(-1)],
        'output': {
            'stride': OUTPUT_STRIDE,
            'height': sub.shape[0],
            'width': sub.shape[1],
            'channels': 3,
            'encoding': 'base64 of uint8 k per value, value = k / 256, rows of [x][c]',
            'data': base64.b64encode(sub.tobytes()).decode(),
        },
    }
    Path(args.out).write_text(json.dumps(fixture, indent=2) + '\n')
    # Format as the repository's prettier does, so a rerun reproduces the committed file exactly.
    subprocess.run(['npx', 'prettier', '--write', args.out], check=False)
    print(f'wrote {args.out}: style vector |v|={np.linalg.norm(vector):.4f}, output mean {image.mean():.4f}')


if __name__ == '__main__':
    main()
