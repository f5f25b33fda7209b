// WebDNN's version numbers, defined here once. CMake reads them (cmake/version.cmake) into the
// C++ tools' generated webdnn/version.h, and package.mjs writes VERSION into the npm package's
// package.json. Change them here only.

// The release: webdnn-convert --version, webdnn-run --version and the npm package.
export const VERSION = '0.1.0';

// The output format (docs/descriptor.md): written into every manifest and descriptor; a runtime
// reads only its own. Raise it whenever a reader of the previous version would misread new files.
export const FORMAT_VERSION = 6;
