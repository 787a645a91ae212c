# Debian packages with CPack (scripts/package.sh, docs/packaging.md):
# qtchat-server (chat-server, its systemd unit and settings) and
# qtchat-client (chat-gui, chat-console, the desktop entry and icon), each
# from the install() rules of its COMPONENT. Depends are computed from the
# binaries by dpkg-shlibdeps; what is loaded at run time is added by hand.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME qtchat)
set(CPACK_PACKAGE_VENDOR "qtchat")
# Who answers for the packages; set it when building packages to hand out.
set(QTCHAT_PACKAGE_MAINTAINER "qtchat maintainers <maintainers@qtchat.example.org>"
    CACHE STRING "The Maintainer field of the Debian packages")
set(CPACK_PACKAGE_CONTACT "${QTCHAT_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
# Each package's synopsis is the first line of its description below.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "")
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL server client)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
# Debian ships stripped binaries (lintian: unstripped-binary-or-object).
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_SERVER_PACKAGE_NAME qtchat-server)
set(CPACK_DEBIAN_SERVER_PACKAGE_SECTION net)
# --store opens SQLite through Qt's plugin, which no binary links.
set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS "libqt6sql6-sqlite")
set(CPACK_DEBIAN_SERVER_DESCRIPTION
    "TCP chat server for LANs, classrooms and small teams
chat-server speaks plain text to netcat and telnet users and JSON Lines to
programs, with rooms, whispers, moderation, away messages, TLS, a message
store and several instances sharing rooms through Redis. This package runs
it as a hardened systemd service (qtchat-server).")
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA
    "${PROJECT_SOURCE_DIR}/packaging/debian/conffiles;${PROJECT_SOURCE_DIR}/packaging/debian/postinst;${PROJECT_SOURCE_DIR}/packaging/debian/prerm;${PROJECT_SOURCE_DIR}/packaging/debian/postrm")
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_CLIENT_PACKAGE_NAME qtchat-client)
set(CPACK_DEBIAN_CLIENT_PACKAGE_SECTION net)
# Plugins chat-gui loads at run time: xcb comes with libqt6gui6 and the TLS
# backend with libqt6network6, which it links; the SVG icon engine and image
# plugin (its window icon) come with libqt6svg6, which the linker drops
# (--as-needed: no symbol of it is used), so it is named here.
set(CPACK_DEBIAN_CLIENT_PACKAGE_DEPENDS "libqt6svg6")
set(CPACK_DEBIAN_CLIENT_PACKAGE_RECOMMENDS "fonts-noto-cjk")
set(CPACK_DEBIAN_CLIENT_DESCRIPTION
    "desktop and terminal clients for the qtchat chat server
chat-gui is a Qt desktop client with rooms, direct conversations, unread
counts, desktop notifications, a tray icon and away status, in English and
Korean. chat-console is a terminal client for people, scripts and
containers, with a health probe (--check).")

# Man pages from each program's --help and --version (Debian's help2man),
# made after the programs are built and installed with their package.
find_program(QTCHAT_HELP2MAN help2man REQUIRED)
set(QTCHAT_MAN_DIR ${CMAKE_BINARY_DIR}/man)
set(QTCHAT_MAN_PAGES)
foreach(row "chat-server|server|TCP chat server" "chat-console|client|terminal chat client"
            "chat-gui|client|desktop chat client")
    string(REPLACE "|" ";" entry "${row}")
    list(GET entry 0 program)
    list(GET entry 1 component)
    list(GET entry 2 summary)
    set(page ${QTCHAT_MAN_DIR}/${program}.1.gz)
    add_custom_command(OUTPUT ${page}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${QTCHAT_MAN_DIR}
        COMMAND ${CMAKE_COMMAND} -E env QT_QPA_PLATFORM=offscreen
                ${QTCHAT_HELP2MAN} --no-info --section=1 --name=${summary}
                --output=${QTCHAT_MAN_DIR}/${program}.1 $<TARGET_FILE:${program}>
        COMMAND gzip -9nf ${QTCHAT_MAN_DIR}/${program}.1
        DEPENDS ${program}
        COMMENT "Man page of ${program} (help2man)"
        VERBATIM)
    install(FILES ${page} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT ${component} EXCLUDE_FROM_ALL)
    list(APPEND QTCHAT_MAN_PAGES ${page})
endforeach()
add_custom_target(manpages ALL DEPENDS ${QTCHAT_MAN_PAGES})

# What Debian policy asks of every package: the copyright (machine-readable,
# from LICENSE) and a Debian changelog, in /usr/share/doc/PACKAGE.
set(QTCHAT_DOC_DIR ${CMAKE_BINARY_DIR}/package-doc)
file(READ ${PROJECT_SOURCE_DIR}/LICENSE QTCHAT_LICENSE_TEXT)
string(REGEX REPLACE "\n\n" "\n.\n" QTCHAT_LICENSE_DEP5 "${QTCHAT_LICENSE_TEXT}")
string(REGEX REPLACE "\n([^\n])" "\n \\1" QTCHAT_LICENSE_DEP5 "${QTCHAT_LICENSE_DEP5}")
file(WRITE ${QTCHAT_DOC_DIR}/copyright
"Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: qtchat

Files: *
Copyright: 2026 The qtchat authors
License: MIT

License: MIT
 ${QTCHAT_LICENSE_DEP5}")
string(TIMESTAMP QTCHAT_CHANGELOG_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
file(WRITE ${QTCHAT_DOC_DIR}/changelog.Debian
"qtchat (${PROJECT_VERSION}-1) unstable; urgency=medium

  * Built from the qtchat sources with scripts/package.sh; what changed is
    in the sources' CHANGELOG.md.

 -- ${QTCHAT_PACKAGE_MAINTAINER}  ${QTCHAT_CHANGELOG_DATE}
")
execute_process(COMMAND gzip -9nf ${QTCHAT_DOC_DIR}/changelog.Debian COMMAND_ERROR_IS_FATAL ANY)
foreach(package server client)
    install(FILES ${QTCHAT_DOC_DIR}/copyright ${QTCHAT_DOC_DIR}/changelog.Debian.gz
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/qtchat-${package} COMPONENT ${package} EXCLUDE_FROM_ALL)
endforeach()

include(CPack)
