# One INTERFACE target carries the project's compile policy; every target links it.
add_library(qtchat_policy INTERFACE)
add_library(qtchat::policy ALIAS qtchat_policy)

target_compile_features(qtchat_policy INTERFACE cxx_std_20)
target_compile_definitions(qtchat_policy INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CAST_FROM_BYTEARRAY
    QT_NO_URL_CAST_FROM_STRING
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_NO_FOREACH
    QT_USE_QSTRINGBUILDER
    QT_STRICT_ITERATORS
    QTCHAT_VERSION="${PROJECT_VERSION}")
target_compile_options(qtchat_policy INTERFACE
    -Wall -Wextra -Wpedantic -Wold-style-cast -Wnon-virtual-dtor
    -Woverloaded-virtual -Wshadow=local -Wimplicit-fallthrough)

# The test build (preset "test", so CI) turns every warning into an error, so
# a warning cannot land; the quick-start build keeps them warnings, so a newer
# compiler's new warning never stops someone from running the chat.
option(QTCHAT_WARNINGS_AS_ERRORS "Treat compiler warnings as errors (-Werror)" OFF)
if(QTCHAT_WARNINGS_AS_ERRORS)
    target_compile_options(qtchat_policy INTERFACE -Werror)
endif()

# Sanitizers are chosen by presets through this cache variable (e.g. "address,undefined").
set(QTCHAT_SANITIZERS "" CACHE STRING "Comma-separated -fsanitize= list, empty for none")
if(QTCHAT_SANITIZERS)
    target_compile_options(qtchat_policy INTERFACE -fsanitize=${QTCHAT_SANITIZERS} -fno-omit-frame-pointer)
    target_link_options(qtchat_policy INTERFACE -fsanitize=${QTCHAT_SANITIZERS})
    # A UBSan report fails the test that caused it instead of scrolling past.
    if(QTCHAT_SANITIZERS MATCHES "undefined")
        target_compile_options(qtchat_policy INTERFACE -fno-sanitize-recover=undefined)
    endif()
endif()
