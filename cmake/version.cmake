# Reads WebDNN's version numbers from their one definition, runtime/js/version.mjs, and writes
# ${CMAKE_BINARY_DIR}/include/webdnn/version.h. Sets WEBDNN_VERSION and WEBDNN_FORMAT_VERSION.
# Included by the main build and by the Emscripten build of the runtime (runtime/wasm).
get_filename_component(_webdnn_version_file ${CMAKE_CURRENT_LIST_DIR}/../runtime/js/version.mjs ABSOLUTE)
file(READ ${_webdnn_version_file} _webdnn_version_text)
if(NOT _webdnn_version_text MATCHES "export const VERSION = '([0-9]+\\.[0-9]+\\.[0-9]+)';")
  message(FATAL_ERROR "${_webdnn_version_file}: no line export const VERSION = 'X.Y.Z';")
endif()
set(WEBDNN_VERSION ${CMAKE_MATCH_1})
if(NOT _webdnn_version_text MATCHES "export const FORMAT_VERSION = ([0-9]+);")
  message(FATAL_ERROR "${_webdnn_version_file}: no line export const FORMAT_VERSION = N;")
endif()
set(WEBDNN_FORMAT_VERSION ${CMAKE_MATCH_1})
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_webdnn_version_file})
configure_file(${CMAKE_CURRENT_LIST_DIR}/version.h.in ${CMAKE_BINARY_DIR}/include/webdnn/version.h @ONLY)
