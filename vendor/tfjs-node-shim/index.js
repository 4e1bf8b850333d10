'use strict';
// danfojs-node requires '@tensorflow/tfjs-node'. The real package needs a native libtensorflow that its
// install script downloads from outside the npm registry, so siemlab maps it to this shim, which hands
// danfojs the pure-JS engine. siemlab's src/tf.ts picks the fastest backend that is actually present.
module.exports = require('@tensorflow/tfjs');
