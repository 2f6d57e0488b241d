# The project's small build functions, in the manner of Tink's tink_cc_library
# and LevelDB's leveldb_test. Every target is named resguardo_<name> with the
# ALIAS resguardo::<name>; includes are rooted at the source tree
# ("crypto/aead.h") and at the generated tree ("resguardo/v1/x.pb.h").

include(CMakeParseArguments)

set(RESGUARDO_GEN_DIR "${CMAKE_BINARY_DIR}/gen")
file(MAKE_DIRECTORY "${RESGUARDO_GEN_DIR}")

set(RESGUARDO_WARNINGS -Wall -Wextra -Wno-unused-parameter)
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  list(APPEND RESGUARDO_WARNINGS -Wthread-safety)
endif()

# Environment of every test (and of the binaries the tests start). Under
# the sanitizers LeakSanitizer reads tests/lsan.supp, which names
# third-party frames only.
set(RESGUARDO_TEST_ENV)
if(RESGUARDO_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
  set(RESGUARDO_TEST_ENV
      "LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/tests/lsan.supp:print_suppressions=0")
endif()
if(RESGUARDO_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "RESGUARDO_FUZZ needs clang (libFuzzer)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

# resguardo_cc_library(NAME n [HDRS ...] [SRCS ...] [DEPS ...])
# A library without SRCS is header-only (an INTERFACE library).
function(resguardo_cc_library)
  cmake_parse_arguments(A "" "NAME" "HDRS;SRCS;DEPS" ${ARGN})
  set(target resguardo_${A_NAME})
  if(A_SRCS)
    add_library(${target} STATIC ${A_SRCS} ${A_HDRS})
    target_include_directories(${target} PUBLIC
      "${PROJECT_SOURCE_DIR}" "${RESGUARDO_GEN_DIR}")
    target_link_libraries(${target} PUBLIC ${A_DEPS})
    target_compile_options(${target} PRIVATE ${RESGUARDO_WARNINGS})
  else()
    add_library(${target} INTERFACE)
    target_include_directories(${target} INTERFACE
      "${PROJECT_SOURCE_DIR}" "${RESGUARDO_GEN_DIR}")
    target_link_libraries(${target} INTERFACE ${A_DEPS})
  endif()
  add_library(resguardo::${A_NAME} ALIAS ${target})
endfunction()

# resguardo_cc_binary(NAME n SRCS ... [DEPS ...] [OUTPUT_NAME name])
function(resguardo_cc_binary)
  cmake_parse_arguments(A "" "NAME;OUTPUT_NAME" "SRCS;DEPS" ${ARGN})
  add_executable(${A_NAME} ${A_SRCS})
  target_link_libraries(${A_NAME} PRIVATE ${A_DEPS})
  target_compile_options(${A_NAME} PRIVATE ${RESGUARDO_WARNINGS})
  if(A_OUTPUT_NAME)
    set_target_properties(${A_NAME} PROPERTIES OUTPUT_NAME ${A_OUTPUT_NAME})
  endif()
  set_target_properties(${A_NAME} PROPERTIES
    RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/bin")
endfunction()

# resguardo_cc_test(NAME n SRCS ... [DEPS ...] [LABELS ...] [TIMEOUT s])
# One ctest entry per test binary; the binary runs every test it holds.
# Tests run from the source directory's data through RESGUARDO_SOURCE_DIR and
# RESGUARDO_VECTORS_DIR (../shared/vectors beside the checkout).
function(resguardo_cc_test)
  cmake_parse_arguments(A "" "NAME;TIMEOUT" "SRCS;DEPS;LABELS" ${ARGN})
  add_executable(${A_NAME} ${A_SRCS})
  target_link_libraries(${A_NAME} PRIVATE ${A_DEPS} GTest::gmock_main)
  target_compile_options(${A_NAME} PRIVATE ${RESGUARDO_WARNINGS})
  set_target_properties(${A_NAME} PROPERTIES
    RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/tests")
  add_test(NAME ${A_NAME} COMMAND ${A_NAME} --gtest_brief=1)
  if(NOT A_TIMEOUT)
    set(A_TIMEOUT 300)
  endif()
  set(env "RESGUARDO_SOURCE_DIR=${PROJECT_SOURCE_DIR}"
          "RESGUARDO_VECTORS_DIR=${RESGUARDO_VECTORS_DIR}"
          "RESGUARDO_BIN_DIR=${CMAKE_BINARY_DIR}/bin" ${RESGUARDO_TEST_ENV})
  set_tests_properties(${A_NAME} PROPERTIES
    LABELS "${A_LABELS}"
    TIMEOUT ${A_TIMEOUT}
    ENVIRONMENT "${env}")
  add_dependencies(resguardo_all_tests ${A_NAME})
  # resguardo_<label>_tests builds every test of a label (e.g. the sanitizer
  # run builds only resguardo_crypto_tests).
  foreach(label ${A_LABELS})
    if(NOT TARGET resguardo_${label}_tests)
      add_custom_target(resguardo_${label}_tests)
    endif()
    add_dependencies(resguardo_${label}_tests ${A_NAME})
  endforeach()
endfunction()

# resguardo_cc_fuzzer(NAME n SRCS ... [DEPS ...] [CORPUS dir] [SECONDS s])
# Built only with RESGUARDO_FUZZ (clang); each fuzzer also runs briefly as a
# ctest entry labelled "fuzz".
function(resguardo_cc_fuzzer)
  cmake_parse_arguments(A "" "NAME;CORPUS;SECONDS" "SRCS;DEPS" ${ARGN})
  if(NOT RESGUARDO_FUZZ)
    return()
  endif()
  add_executable(${A_NAME} ${A_SRCS})
  target_link_libraries(${A_NAME} PRIVATE ${A_DEPS})
  target_compile_options(${A_NAME} PRIVATE ${RESGUARDO_WARNINGS})
  target_link_options(${A_NAME} PRIVATE -fsanitize=fuzzer)
  set_target_properties(${A_NAME} PROPERTIES
    RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/fuzz")
  if(NOT A_SECONDS)
    set(A_SECONDS 15)
  endif()
  set(work "${CMAKE_BINARY_DIR}/fuzz/${A_NAME}.corpus")
  # The seed corpus is read-only input; new inputs go to a scratch folder.
  add_test(NAME ${A_NAME}
    COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=1
      $<TARGET_FILE:${A_NAME}> -max_total_time=${A_SECONDS} -print_final_stats=1
      "${work}" "${CMAKE_CURRENT_SOURCE_DIR}/${A_CORPUS}")
  set_tests_properties(${A_NAME} PROPERTIES LABELS "fuzz" TIMEOUT 120)
  file(MAKE_DIRECTORY "${work}")
  add_dependencies(resguardo_all_tests ${A_NAME})
  add_dependencies(resguardo_fuzz_tests ${A_NAME})
endfunction()

# resguardo_proto_library(NAME n PROTOS a.proto ... [IMPORT_DIRS ...]
#                         [DEPS ...] [GRPC])
# PROTOS are paths relative to ROOT (default: ${PROJECT_SOURCE_DIR}/proto);
# generated code goes to ${RESGUARDO_GEN_DIR} under the same relative path.
# One library per proto package.
function(resguardo_proto_library)
  cmake_parse_arguments(A "GRPC" "NAME;ROOT" "PROTOS;IMPORT_DIRS;DEPS" ${ARGN})
  if(NOT A_ROOT)
    set(A_ROOT "${PROJECT_SOURCE_DIR}/proto")
  endif()
  set(import_flags -I "${A_ROOT}")
  foreach(dir ${A_IMPORT_DIRS})
    list(APPEND import_flags -I "${dir}")
  endforeach()
  list(APPEND import_flags -I "${Protobuf_INCLUDE_DIR}")
  set(srcs)
  set(hdrs)
  foreach(proto ${A_PROTOS})
    string(REGEX REPLACE "\\.proto$" "" base "${proto}")
    set(outs "${RESGUARDO_GEN_DIR}/${base}.pb.cc" "${RESGUARDO_GEN_DIR}/${base}.pb.h")
    set(cmd ${Protobuf_PROTOC_EXECUTABLE} ${import_flags}
      --cpp_out=${RESGUARDO_GEN_DIR})
    if(A_GRPC)
      list(APPEND outs "${RESGUARDO_GEN_DIR}/${base}.grpc.pb.cc"
                       "${RESGUARDO_GEN_DIR}/${base}.grpc.pb.h")
      list(APPEND cmd --grpc_out=${RESGUARDO_GEN_DIR}
        --plugin=protoc-gen-grpc=${RESGUARDO_GRPC_CPP_PLUGIN})
    endif()
    add_custom_command(
      OUTPUT ${outs}
      COMMAND ${cmd} "${A_ROOT}/${proto}"
      DEPENDS "${A_ROOT}/${proto}" ${Protobuf_PROTOC_EXECUTABLE}
      COMMENT "protoc ${proto}"
      VERBATIM)
    foreach(f ${outs})
      if(f MATCHES "\\.cc$")
        list(APPEND srcs "${f}")
      else()
        list(APPEND hdrs "${f}")
      endif()
    endforeach()
  endforeach()
  set(target resguardo_${A_NAME})
  add_library(${target} STATIC ${srcs} ${hdrs})
  target_include_directories(${target} PUBLIC "${RESGUARDO_GEN_DIR}")
  target_link_libraries(${target} PUBLIC ${A_DEPS} protobuf::libprotobuf)
  if(A_GRPC)
    target_link_libraries(${target} PUBLIC gRPC::grpc++)
  endif()
  add_library(resguardo::${A_NAME} ALIAS ${target})
endfunction()

add_custom_target(resguardo_all_tests)
add_custom_target(resguardo_fuzz_tests)
