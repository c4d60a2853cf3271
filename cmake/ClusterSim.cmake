# Shared compile settings for every clustersim target.
add_library(clustersim_options INTERFACE)
target_compile_options(clustersim_options INTERFACE
  $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough>)
target_compile_definitions(clustersim_options INTERFACE
  CLUSTERSIM_VERSION="${PROJECT_VERSION}")
if(CLUSTERSIM_SANITIZE)
  target_compile_options(clustersim_options INTERFACE
    $<$<COMPILE_LANGUAGE:CXX>:-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined>)
  target_link_options(clustersim_options INTERFACE -fsanitize=address,undefined)
  target_compile_definitions(clustersim_options INTERFACE CLUSTERSIM_SANITIZED=1)
endif()

# clustersim_library(NAME SOURCES... DEPS...)
function(clustersim_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${CMAKE_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC clustersim_options ${ARG_DEPS})
endfunction()

# clustersim_test(NAME SOURCES... DEPS... [LABELS...]) builds one doctest binary and
# registers every test case with CTest, so `ctest -j2` spreads them over cores.
function(clustersim_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES} ${CMAKE_SOURCE_DIR}/tests/doctest_main.cpp)
  target_link_libraries(${name} PRIVATE clustersim_options doctest::doctest ${ARG_DEPS})
  target_compile_definitions(${name} PRIVATE CLUSTERSIM_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
  set(labels unit)
  if(ARG_LABELS)
    set(labels ${ARG_LABELS})
  endif()
  add_test(NAME ${name} COMMAND ${name} --no-version=true)
  set_tests_properties(${name} PROPERTIES LABELS "${labels}"
    ENVIRONMENT "CLUSTERSIM_SOURCE_DIR=${CMAKE_SOURCE_DIR};CLUSTERSIM_BIN_DIR=${CMAKE_BINARY_DIR}/bin")
endfunction()
