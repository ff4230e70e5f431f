#include "common/http/server.h"

#include <sys/socket.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/http/url.h"

namespace subguard::http {

std::string_view Request::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return {};
}

std::string Request::QueryParam(std::string_view name) const { return FindQueryParam(query, name); }

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

class BeastServer final : public Server {
 public:
  BeastServer(const ServerOptions& options, Handler handler)
      : options_(options), handler_(std::move(handler)), acceptor_(io_) {}

  ~BeastServer() override { Stop(); }

  absl::Status Listen() {
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(options_.host, ec);
    if (ec) return absl::InvalidArgumentError(absl::StrCat("bad listen host '", options_.host, "'"));
    const tcp::endpoint endpoint(address, static_cast<unsigned short>(options_.port));
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return absl::UnavailableError(
          absl::StrCat("cannot listen on ", options_.host, ":", options_.port, ": ", ec.message()));
    }
    port_ = acceptor_.local_endpoint().port();
    accept_thread_ = std::thread([this] { AcceptLoop(); });
    return absl::OkStatus();
  }

  int port() const override { return port_; }

  void Stop() override {
    if (stopping_.exchange(true)) return;
    boost::system::error_code ec;
    // shutdown() wakes the blocked accept(); close() alone does not on Linux.
    ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
    acceptor_.close(ec);
    if (accept_thread_.joinable()) accept_thread_.join();
    std::unordered_map<int, std::thread> threads;
    {
      std::lock_guard lock(mu_);
      for (auto& [id, socket] : sockets_) ::shutdown(socket->native_handle(), SHUT_RDWR);
      threads.swap(threads_);
    }
    for (auto& [id, thread] : threads) thread.join();
    for (auto& thread : finished_) thread.join();
    finished_.clear();
  }

 private:
  void AcceptLoop() {
    while (!stopping_) {
      auto socket = std::make_shared<tcp::socket>(io_);
      boost::system::error_code ec;
      acceptor_.accept(*socket, ec);
      if (ec) {
        if (stopping_) return;
        continue;
      }
      ReapFinished();
      std::lock_guard lock(mu_);
      if (static_cast<int>(threads_.size()) >= options_.max_connections) {
        RejectBusy(*socket);
        continue;
      }
      const int id = next_id_++;
      sockets_[id] = socket;
      threads_[id] = std::thread([this, id, socket] {
        Serve(*socket);
        std::lock_guard lock(mu_);
        sockets_.erase(id);
        if (auto it = threads_.find(id); it != threads_.end()) {
          finished_.push_back(std::move(it->second));
          threads_.erase(it);
        }
      });
    }
  }

  void ReapFinished() {
    std::vector<std::thread> done;
    {
      std::lock_guard lock(mu_);
      done.swap(finished_);
    }
    for (auto& thread : done) thread.join();
  }

  static void RejectBusy(tcp::socket& socket) {
    beast::http::response<beast::http::string_body> res{beast::http::status::service_unavailable, 11};
    res.set(beast::http::field::content_type, "text/plain");
    res.set(beast::http::field::connection, "close");
    res.body() = "too many connections\n";
    res.prepare_payload();
    boost::system::error_code ec;
    beast::http::write(socket, res, ec);
    socket.shutdown(tcp::socket::shutdown_both, ec);
  }

  void Serve(tcp::socket& socket) {
    const timeval tv{static_cast<time_t>(absl::ToInt64Seconds(options_.idle_timeout)), 0};
    ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    beast::flat_buffer buffer;
    while (!stopping_) {
      beast::http::request_parser<beast::http::string_body> parser;
      parser.body_limit(options_.max_body_bytes);
      parser.header_limit(16 * 1024);
      boost::system::error_code ec;
      beast::http::read(socket, buffer, parser, ec);
      if (ec == beast::http::error::body_limit) {
        WriteResponse(socket, 11, false, Response::Text(413, "request body too large\n"));
        break;
      }
      if (ec == beast::http::error::end_of_stream || ec) break;
      auto& raw = parser.get();
      Request request;
      request.method = std::string(raw.method_string());
      const std::string_view target = raw.target();
      const size_t question = target.find('?');
      request.path = std::string(target.substr(0, question));
      if (question != std::string_view::npos) request.query = std::string(target.substr(question + 1));
      for (const auto& field : raw) {
        request.headers.emplace_back(absl::AsciiStrToLower(std::string(field.name_string())),
                                     std::string(field.value()));
      }
      request.body = std::move(raw.body());
      const bool keep_alive = raw.keep_alive();
      const Response response = handler_(request);
      if (!WriteResponse(socket, raw.version(), keep_alive, response) || !keep_alive) break;
    }
    boost::system::error_code ec;
    socket.shutdown(tcp::socket::shutdown_both, ec);
  }

  static bool WriteResponse(tcp::socket& socket, unsigned version, bool keep_alive, const Response& response) {
    beast::http::response<beast::http::string_body> res{static_cast<beast::http::status>(response.status), version};
    res.set(beast::http::field::content_type, response.content_type);
    res.keep_alive(keep_alive);
    res.body() = response.body;
    res.prepare_payload();
    boost::system::error_code ec;
    beast::http::write(socket, res, ec);
    return !ec;
  }

  const ServerOptions options_;
  const Handler handler_;
  asio::io_context io_;
  tcp::acceptor acceptor_;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread accept_thread_;
  std::mutex mu_;
  int next_id_ = 0;
  std::unordered_map<int, std::shared_ptr<tcp::socket>> sockets_;
  std::unordered_map<int, std::thread> threads_;
  std::vector<std::thread> finished_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Server>> Server::Start(const ServerOptions& options, Handler handler) {
  auto server = std::make_unique<BeastServer>(options, std::move(handler));
  if (absl::Status status = server->Listen(); !status.ok()) return status;
  return server;
}

}  // namespace subguard::http
