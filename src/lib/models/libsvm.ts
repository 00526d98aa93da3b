/**
 * LIBSVM 3.x compiled to wasm, from the npm package libsvm-js 0.2.1 (mljs). We do not use the
 * package's entry points: in a browser worker its loader resolves `libsvm.wasm` against the
 * worker script's URL (wrong under Vite), and in Node it installs a process-wide
 * `unhandledRejection → exit(1)` handler. Instead the emscripten factory `SVM(Module)` is
 * evaluated from the package's own file with the wasm bytes handed over as `Module.wasmBinary`,
 * and the few C entry points are called here (a TS port of the package's src/loadSVM.js).
 * Sources of the text and bytes are configured by the entry point (libsvm-node.ts / libsvm-browser.ts).
 */

/** The libsvm-js release whose build this glue expects (it bundles LIBSVM 3.x). */
export const LIBSVM_JS_VERSION = '0.2.1';

/** The emscripten module's parts we use. */
interface EmscriptenModule {
  cwrap(name: string, ret: string | null, args: string[]): (...a: unknown[]) => number;
  _malloc(bytes: number): number;
  _free(ptr: number): void;
  HEAPF64: Float64Array;
  HEAP32: Int32Array;
  HEAPU8: Uint8Array;
  Pointer_stringify(ptr: number): string;
}

/** The JS text of libsvm-js/out/wasm/libsvm.js and the bytes of libsvm.wasm. */
export interface LibsvmFiles {
  source: string;
  wasm: Uint8Array;
}

let filesLoader: (() => Promise<LibsvmFiles>) | undefined;
let files: Promise<LibsvmFiles> | undefined;

/** Sets where the libsvm files come from (called once by the platform entry point). */
export function configureLibsvm(load: () => Promise<LibsvmFiles>): void {
  filesLoader = load;
  files = undefined;
}

type Factory = (module: Record<string, unknown>) => EmscriptenModule;

/** The package file ends by instantiating itself with its own loader; we drop that line and keep the factory. */
function factoryFrom(source: string): Factory {
  const tail = 'module.exports = SVM(Module);';
  const at = source.lastIndexOf(tail);
  if (at < 0) throw new Error('unexpected libsvm-js build (expected libsvm-js 0.2.1)');
  const body = `${source.slice(0, at)}\nreturn SVM;`;
  const make = new Function('module', 'exports', 'require', body) as (
    m: unknown,
    e: unknown,
    r: undefined,
  ) => Factory;
  return make({ exports: {} }, {}, undefined);
}

/**
 * A fresh LIBSVM instance. Each fit gets its own: LIBSVM's probability calibration shuffles
 * with C rand(), whose state lives in the instance, so a fresh one makes every fit repeatable.
 */
export async function createLibsvm(): Promise<Libsvm> {
  if (!filesLoader)
    throw new Error(
      'libsvm not configured: import $lib/models (browser) or $lib/models/node (Node)',
    );
  const f = await (files ??= filesLoader());
  const factory = factoryFrom(f.source);
  // emscripten's Module is a thenable (Module.then): resolving a promise with it would loop, so it travels boxed.
  const boxed = await new Promise<{ m: EmscriptenModule }>((resolve, reject) => {
    const holder: { m?: EmscriptenModule } = {};
    try {
      holder.m = factory({
        wasmBinary: f.wasm,
        ENVIRONMENT:
          typeof window === 'object'
            ? 'WEB'
            : typeof importScripts === 'function'
              ? 'WORKER'
              : 'SHELL',
        print: () => {},
        printErr: () => {},
        onAbort: (what: unknown) => reject(new Error(`libsvm aborted: ${String(what)}`)),
        onRuntimeInitialized: () => queueMicrotask(() => resolve({ m: holder.m! })),
      });
    } catch (e) {
      reject(e instanceof Error ? e : new Error(String(e)));
    }
  });
  const mod = boxed.m;
  return new Libsvm(mod);
}

/** The LIBSVM calls the models need, on one wasm instance. */
export class Libsvm {
  readonly #m: EmscriptenModule;
  readonly #createNodes;
  readonly #addInstance;
  readonly #train;
  readonly #freeProblem;
  readonly #freeModel;
  readonly #serialize;
  readonly #deserialize;
  readonly #nrClass;
  readonly #labels;
  readonly #predictProb;

  constructor(m: EmscriptenModule) {
    this.#m = m;
    this.#createNodes = m.cwrap('create_svm_nodes', 'number', ['number', 'number']);
    this.#addInstance = m.cwrap('add_instance', null, [
      'number',
      'array',
      'number',
      'number',
      'number',
    ]);
    this.#train = m.cwrap('libsvm_train_problem', 'number', ['number', 'string']);
    this.#freeProblem = m.cwrap('free_problem', null, ['number']);
    this.#freeModel = m.cwrap('svm_free_model', null, ['number']);
    this.#serialize = m.cwrap('serialize_model', 'number', ['number']);
    // Takes a heap pointer, not 'string': ccall copies a 'string' argument onto the wasm stack
    // (5 MB in this build), and a model with a few thousand 170-d support vectors is larger.
    this.#deserialize = m.cwrap('deserialize_model', 'number', ['number']);
    this.#nrClass = m.cwrap('svm_get_nr_class', 'number', ['number']);
    this.#labels = m.cwrap('svm_get_labels', null, ['number', 'number']);
    this.#predictProb = m.cwrap('libsvm_predict_one_probability', 'number', [
      'number',
      'array',
      'number',
      'number',
    ]);
  }

  /**
   * Trains one binary model (`command` in svm-train syntax, e.g. "-s 0 -t 2 -c 1 -g 0.1 -b 1 -q")
   * and returns it in LIBSVM's text model format. The problem and model are freed before returning
   * (a trained model points into its problem's nodes, so it is kept only as text).
   */
  train(x: Float32Array, rows: number, cols: number, y: Uint8Array, command: string): string {
    const problem = this.#createNodes(rows, cols);
    const row = new Float64Array(cols);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) row[c] = x[r * cols + c]!;
      this.#addInstance(problem, new Uint8Array(row.buffer), cols, y[r]!, r);
    }
    const model = this.#train(problem, command);
    const ptr = this.#serialize(model);
    const text = this.#m.Pointer_stringify(ptr);
    this.#m._free(ptr);
    this.#freeModel(model);
    this.#freeProblem(problem);
    return text;
  }

  /** Loads a text model into this instance; returns a handle for predictPositive. */
  load(text: string): number {
    const bytes = new TextEncoder().encode(text);
    const ptr = this.#m._malloc(bytes.length + 1);
    if (!ptr) throw new RangeError(`libsvm: no memory for a ${bytes.length}-byte model text`);
    try {
      // HEAPU8 is read after _malloc: growing the heap replaces the view.
      this.#m.HEAPU8.set(bytes, ptr);
      this.#m.HEAPU8[ptr + bytes.length] = 0;
      return this.#deserialize(ptr);
    } finally {
      this.#m._free(ptr);
    }
  }

  /** P(class 1) per row from a model trained with -b 1. */
  predictPositive(model: number, x: Float32Array, rows: number, cols: number): Float32Array {
    const nClass = this.#nrClass(model);
    const labelsPtr = this.#m._malloc(nClass * 4);
    this.#labels(model, labelsPtr);
    const labels = Array.from(this.#m.HEAP32.subarray(labelsPtr / 4, labelsPtr / 4 + nClass));
    this.#m._free(labelsPtr);
    const positive = labels.indexOf(1);
    const est = this.#m._malloc(nClass * 8);
    const out = new Float32Array(rows);
    const row = new Float64Array(cols);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) row[c] = x[r * cols + c]!;
      this.#predictProb(model, new Uint8Array(row.buffer), cols, est);
      out[r] = positive < 0 ? 0 : this.#m.HEAPF64[est / 8 + positive]!;
    }
    this.#m._free(est);
    return out;
  }
}
