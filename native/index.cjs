'use strict';
// The compiled addon (build/Release/glyphlab_kernels.node); throws if it was not built.
module.exports = require('./build/Release/glyphlab_kernels.node');
