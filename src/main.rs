fn main() {
    ltv_app::run();
}
