/** A user's application as a named module: it needs only the reactor API; the backends come through ServiceLoader. */
module dev.weft.modapp {
    requires dev.weft.reactor;
}
