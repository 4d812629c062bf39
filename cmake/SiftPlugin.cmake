# SiftPlugin.cmake - sift_add_plugin(): build a stage plugin the way every
# plugin must be built (STYLE.md section 1, rule 9): a MODULE with only the
# SDK header on its include path, hidden visibility so sift_plugin_entry is
# the one exported symbol, and --no-undefined so it links against nothing of
# sift's by accident.
#
#   sift_add_plugin(NAME clean SOURCES clean.c LIBS PkgConfig::UTF8PROC
#                   [OUTPUT_DIR dir] [NO_INSTALL])
function(sift_add_plugin)
  cmake_parse_arguments(P "NO_INSTALL" "NAME;OUTPUT_DIR" "SOURCES;LIBS" ${ARGN})
  if(NOT P_OUTPUT_DIR)
    set(P_OUTPUT_DIR "${SIFT_PLUGIN_OUTDIR}")
  endif()
  set(target "plugin_${P_NAME}")
  add_library(${target} MODULE ${P_SOURCES})
  set_target_properties(${target} PROPERTIES
    PREFIX "" OUTPUT_NAME "${P_NAME}"
    LIBRARY_OUTPUT_DIRECTORY "${P_OUTPUT_DIR}"
    C_VISIBILITY_PRESET hidden)
  target_include_directories(${target} PRIVATE "${SIFT_SDK_INCLUDE}")
  if(NOT SIFT_SANITIZE)
    # The sanitizer runtimes are resolved from the host executable.
    target_link_options(${target} PRIVATE -Wl,--no-undefined)
  endif()
  target_link_libraries(${target} PRIVATE ${P_LIBS})
  set_property(GLOBAL APPEND PROPERTY SIFT_PLUGIN_TARGETS ${target})
  if(NOT P_NO_INSTALL)
    install(TARGETS ${target} LIBRARY DESTINATION "${SIFT_PLUGIN_RELDIR}")
  endif()
endfunction()
