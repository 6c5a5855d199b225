package dev.weft.examples.resp;

import dev.weft.protocol.Producer;
import dev.weft.protocol.Transport;
import dev.weft.testing.StringTransport;
import java.net.InetSocketAddress;
import java.util.List;

/** A {@link StringTransport} that also counts the calls to {@code write} and {@code writeSequence}. */
final class CountingTransport implements Transport {
    final StringTransport inner = new StringTransport();
    int writes;

    @Override
    public void write(byte[] data) {
        writes++;
        inner.write(data);
    }

    @Override
    public void writeSequence(List<byte[]> data) {
        writes++;
        inner.writeSequence(data);
    }

    @Override
    public void loseConnection() {
        inner.loseConnection();
    }

    @Override
    public void abortConnection() {
        inner.abortConnection();
    }

    @Override
    public void loseWriteConnection() {
        inner.loseWriteConnection();
    }

    @Override
    public InetSocketAddress getPeer() {
        return inner.getPeer();
    }

    @Override
    public InetSocketAddress getHost() {
        return inner.getHost();
    }

    @Override
    public boolean isDisconnecting() {
        return inner.isDisconnecting();
    }

    @Override
    public long writeBufferSize() {
        return inner.writeBufferSize();
    }

    @Override
    public void setTcpNoDelay(boolean enabled) {
        inner.setTcpNoDelay(enabled);
    }

    @Override
    public boolean getTcpNoDelay() {
        return inner.getTcpNoDelay();
    }

    @Override
    public void setTcpKeepAlive(boolean enabled) {
        inner.setTcpKeepAlive(enabled);
    }

    @Override
    public boolean getTcpKeepAlive() {
        return inner.getTcpKeepAlive();
    }

    @Override
    public void registerProducer(Producer producer, boolean streaming) {
        inner.registerProducer(producer, streaming);
    }

    @Override
    public void unregisterProducer() {
        inner.unregisterProducer();
    }

    @Override
    public void pauseProducing() {
        inner.pauseProducing();
    }

    @Override
    public void resumeProducing() {
        inner.resumeProducing();
    }

    @Override
    public void stopProducing() {
        inner.stopProducing();
    }
}
