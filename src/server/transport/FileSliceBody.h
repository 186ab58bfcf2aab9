// SPDX-FileCopyrightText: 2026 The Larch authors
// SPDX-License-Identifier: AGPL-3.0-or-later
// A Beast body that streams a part of a file, so a blob download (or its resumed rest) is read from disk in
// pieces of PieceBytes: never the whole blob in memory, and not Beast's file_body 4 KiB pieces either (a 100 MB
// blob would take 25,000 reads and writes).
#pragma once

#include <algorithm>
#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional.hpp>
#include <cerrno>
#include <cstdint>
#include <fcntl.h>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace larch::server {

/// The body of a response sent from bytes [offset, offset + length) of a file. HttpSession writes it with a
/// serializer, one piece per async_write_some, refreshing the connection's deadline before each.
struct FileSliceBody {
    /// The bytes read from the file (and handed to the socket) at a time.
    static constexpr std::size_t PieceBytes = 256 * 1024;

    class writer;

    /// An open file and the part of it to send. Movable, not copyable; closes the file when destroyed.
    class value_type {
    public:
        value_type() = default;
        value_type(value_type &&other) noexcept { *this = std::move(other); }
        value_type &operator=(value_type &&other) noexcept
        {
            if (this != &other) {
                close();
                m_fd = std::exchange(other.m_fd, -1);
                m_offset = other.m_offset;
                m_length = other.m_length;
            }
            return *this;
        }
        ~value_type() { close(); }

        /// Opens path read-only and selects length bytes from offset; ec when the file is missing or shorter.
        void open(const char *path, std::uint64_t offset, std::uint64_t length, boost::beast::error_code &ec)
        {
            close();
            ec = {};
            m_fd = ::open(path, O_RDONLY | O_CLOEXEC);
            struct stat st { };
            if (m_fd < 0 || ::fstat(m_fd, &st) != 0) {
                ec.assign(errno, boost::system::generic_category());
                close();
                return;
            }
            if (offset + length > static_cast<std::uint64_t>(st.st_size)) {
                ec = make_error_code(boost::system::errc::invalid_argument);
                close();
                return;
            }
            m_offset = offset;
            m_length = length;
        }
        bool is_open() const { return m_fd >= 0; }
        std::uint64_t size() const { return m_length; }

    private:
        friend class writer;
        void close()
        {
            if (m_fd >= 0)
                ::close(m_fd);
            m_fd = -1;
        }

        int m_fd = -1;
        std::uint64_t m_offset = 0;
        std::uint64_t m_length = 0;
    };

    /// The Content-Length of a response with this body.
    static std::uint64_t size(const value_type &body) { return body.size(); }

    /// Reads the slice piece by piece into one buffer of at most PieceBytes, allocated when writing starts.
    class writer {
    public:
        using const_buffers_type = boost::asio::const_buffer;

        template<bool isRequest, class Fields>
        writer(boost::beast::http::header<isRequest, Fields> &, value_type &body) : m_body(body)
        { }

        void init(boost::beast::error_code &ec)
        {
            ec = {};
            if (!m_body.is_open()) {
                ec = make_error_code(boost::system::errc::bad_file_descriptor);
                return;
            }
            m_sent = 0;
            m_capacity = static_cast<std::size_t>(std::min<std::uint64_t>(PieceBytes, m_body.m_length));
            if (m_capacity > 0)
                m_buffer = std::make_unique<char[]>(m_capacity);
        }

        /// The next piece, and whether more follow; none once the slice is sent.
        boost::optional<std::pair<const_buffers_type, bool>> get(boost::beast::error_code &ec)
        {
            ec = {};
            const std::uint64_t left = m_body.m_length - m_sent;
            if (left == 0)
                return boost::none;
            const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(left, m_capacity));
            std::size_t got = 0;
            while (got < want) {
                const ssize_t n = ::pread(m_body.m_fd, m_buffer.get() + got, want - got,
                                          static_cast<off_t>(m_body.m_offset + m_sent + got));
                if (n < 0 && errno == EINTR)
                    continue;
                if (n < 0) {
                    ec.assign(errno, boost::system::generic_category());
                    return boost::none;
                }
                if (n == 0) {
                    // The file became shorter than the Content-Length already sent: nothing sensible to add.
                    ec = make_error_code(boost::system::errc::io_error);
                    return boost::none;
                }
                got += static_cast<std::size_t>(n);
            }
            m_sent += got;
            return std::make_pair(const_buffers_type(m_buffer.get(), got), m_sent < m_body.m_length);
        }

    private:
        value_type &m_body;
        std::unique_ptr<char[]> m_buffer;
        std::size_t m_capacity = 0;
        std::uint64_t m_sent = 0;
    };
};

} // namespace larch::server
