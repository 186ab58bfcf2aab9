// A Beast file body limited to a part of a file, so a blob download (or its resumed rest) streams from disk.
#pragma once

#include <boost/beast/core/file.hpp>
#include <boost/beast/http/basic_file_body.hpp>
#include <algorithm>
#include <cstdint>

namespace larch::server {

/// A read-only file seen from begin for length bytes: Beast's file_body reads a file from its position to its
/// size (Boost 1.74), so this reports the slice's length as the size and reads no further.
class SliceFile {
public:
    bool is_open() const { return m_file.is_open(); }
    void close(boost::beast::error_code &ec) { m_file.close(ec); }
    void open(const char *path, boost::beast::file_mode mode, boost::beast::error_code &ec)
    {
        m_file.open(path, mode, ec);
    }
    /// Selects the part to read; fails when the file is shorter than begin + length.
    void limit(std::uint64_t begin, std::uint64_t length, boost::beast::error_code &ec)
    {
        const std::uint64_t whole = m_file.size(ec);
        if (ec)
            return;
        if (begin + length > whole) {
            ec = make_error_code(boost::system::errc::invalid_argument);
            return;
        }
        m_begin = begin;
        m_length = length;
        m_pos = 0;
        m_file.seek(begin, ec);
    }
    std::uint64_t size(boost::beast::error_code &ec) const
    {
        ec = {};
        return m_length;
    }
    std::uint64_t pos(boost::beast::error_code &ec) const
    {
        ec = {};
        return m_pos;
    }
    void seek(std::uint64_t offset, boost::beast::error_code &ec)
    {
        m_file.seek(m_begin + offset, ec);
        if (!ec)
            m_pos = offset;
    }
    std::size_t read(void *buffer, std::size_t n, boost::beast::error_code &ec)
    {
        n = static_cast<std::size_t>(std::min<std::uint64_t>(n, m_length - m_pos));
        if (n == 0) {
            ec = {};
            return 0;
        }
        const std::size_t got = m_file.read(buffer, n, ec);
        m_pos += got;
        return got;
    }
    std::size_t write(const void *, std::size_t, boost::beast::error_code &ec)
    {
        ec = make_error_code(boost::system::errc::operation_not_supported);
        return 0;
    }

private:
    boost::beast::file m_file;
    std::uint64_t m_begin = 0;
    std::uint64_t m_length = 0;
    std::uint64_t m_pos = 0;
};

/// A response body streamed from part of a file.
using FileSliceBody = boost::beast::http::basic_file_body<SliceFile>;

} // namespace larch::server
