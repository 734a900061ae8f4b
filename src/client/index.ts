// Public entry of the shared client (bundled to dist/client.js). Implementation in progress.
export * from './api';
