// The ES bundle of tfjs-backend-wasm ships without its own typings; it exports what the package does.
declare module '@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.fesm.js' {
  export * from '@tensorflow/tfjs-backend-wasm';
}
